"""Read-aloud: speech made on this machine by espeak-ng, kept on disk, served as WAV.

A recording is named by a hash of its language, voice and text, so the same text is
made once and a changed text gets a new recording. The text never leaves the machine.

- `GET /api/speech/services/<slug>?lang=xx` reads a service page aloud.
- `POST /api/speech` `{"text", "lang"}` (an assistant reply) answers `{"url": ...}`: the
  page plays that URL in an <audio> element (the CSP allows media from 'self' only, not
  blob: URLs).
- `GET /api/speech/<key>` serves a recording made before.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import secrets
import shutil
from pathlib import Path

from sanic import Request
from sanic.response import HTTPResponse, file, json

from kiosk.errors import ApiError, json_object
from kiosk.i18n import asked_language, check_language
from knowledge import ServicePage
from wegwijzer.i18n import N_, translations

# espeak-ng's voice for each language (`espeak-ng --voices`); Belgian French.
VOICES = {"nl": "nl", "fr": "fr-be", "en": "en-gb", "ar": "ar", "tr": "tr", "pl": "pl",
          "ro": "ro"}
# Words a minute: a little slower than espeak-ng's 175, for people who read badly.
SPEED = 150
MAX_TEXT_LENGTH = 2000
# Recordings kept; the least recently played go first.
MAX_RECORDINGS = 2000
TIMEOUT_SECONDS = 60
KEY = re.compile(r"[0-9a-f]{64}")


class SpeechUnavailable(ApiError):
    def __init__(self):
        super().__init__(503, "speech_unavailable",
                         N_("Reading aloud is not available right now."))


class Speaker:
    """Makes recordings with espeak-ng (a few at a time) into `folder`."""

    def __init__(self, folder: Path, program: str = "espeak-ng", at_once: int = 2):
        self.folder = folder
        self.program = program
        self.at_once = asyncio.Semaphore(at_once)

    @staticmethod
    def key(lang: str, text: str) -> str:
        return hashlib.sha256(f"{lang}\0{VOICES[lang]}\0{SPEED}\0{text}".encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    async def speak(self, lang: str, text: str) -> tuple[Path, bool]:
        """The recording of `text` in `lang`, and whether it came from the cache."""
        path = self.path(self.key(lang, text))
        try:
            os.utime(path)  # recently played: pruned last
            return path, True
        except FileNotFoundError:
            pass
        async with self.at_once:
            await self._record(lang, text, path)
        self._prune()
        return path, False

    async def _record(self, lang: str, text: str, path: Path) -> None:
        program = shutil.which(self.program)
        if program is None:
            raise SpeechUnavailable()
        self.folder.mkdir(parents=True, exist_ok=True)
        # Written beside its final name and renamed, so nobody is served half a file.
        partial = path.with_name(f"{path.stem}.{secrets.token_hex(4)}.part")
        process = await asyncio.create_subprocess_exec(
            program, "-v", VOICES[lang], "-s", str(SPEED), "-b", "1", "-w", str(partial),
            "--stdin",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL)
        try:
            await asyncio.wait_for(process.communicate(text.encode()), TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()
        if process.returncode != 0 or not partial.exists():
            partial.unlink(missing_ok=True)
            raise SpeechUnavailable()
        partial.replace(path)

    def _prune(self) -> None:
        recordings = sorted(self.folder.glob("*.wav"), key=_mtime)
        for old in recordings[:-MAX_RECORDINGS]:
            old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def service_text(page: ServicePage) -> str:
    """What is read of a service page, all in the language its texts are written in."""
    gettext = translations(page.lang).gettext
    return spoken("\n".join([page.name, page.summary, gettext("Who it is for"), page.who_for,
                             page.description, gettext("How to ask"), page.how_to_access]))


def spoken(text: str) -> str:
    """`text` as it is read and cached: each line (a heading, a service's name) a sentence
    of its own, so that the voice pauses after it; spacing made even."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(
        line if line.endswith((".", "!", "?", ":", "؟")) else f"{line}."
        for line in lines if line
    )


async def service_speech(request: Request, slug: str) -> HTTPResponse:
    page = request.app.ctx.catalogue.service(slug, asked_language(request))
    if page is None:
        raise ApiError(404, "unknown_service", N_("This service does not exist."))
    path, cached = await request.app.ctx.speaker.speak(page.lang, service_text(page))
    # The same URL reads the service's current text: always asked again.
    return await _audio(path, cached, "no-cache")


async def make_speech(request: Request) -> HTTPResponse:
    text, lang = _read_body(request)
    path, cached = await request.app.ctx.speaker.speak(lang, text)
    return json({"url": f"/api/speech/{path.stem}"},
                headers={"X-Speech-Cache": "hit" if cached else "miss"})


async def recording(request: Request, key: str) -> HTTPResponse:
    path = request.app.ctx.speaker.path(key) if KEY.fullmatch(key) else None
    if path is None or not path.exists():
        raise ApiError(404, "unknown_recording", N_("This recording does not exist."))
    # Named by its content: never changes.
    return await _audio(path, True, "private, max-age=86400, immutable")


async def _audio(path: Path, cached: bool, cache_control: str) -> HTTPResponse:
    return await file(path, mime_type="audio/wav", headers={
        "Cache-Control": cache_control, "X-Speech-Cache": "hit" if cached else "miss"})


def _read_body(request: Request) -> tuple[str, str]:
    body = json_object(request, N_("Send a JSON object with a text and a language."))
    lang = check_language(body.get("lang"))
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "empty_text", N_("There is no text to read aloud."))
    if len(text) > MAX_TEXT_LENGTH:
        raise ApiError(400, "text_too_long", N_("This text is too long to read aloud."))
    return spoken(text), lang
