"""Which of Wegwijzer's languages a chat message is written in (offline, with lingua).

The kiosk's language stays the default: a message counts as written in another language
only when it is long enough and the detector is sure.
"""

from __future__ import annotations

from functools import cached_property

from lingua import IsoCode639_1, LanguageDetectorBuilder

from wegwijzer.languages import LANGUAGES

MIN_LETTERS = 10
MIN_CONFIDENCE = 0.75


class LanguageDetector:
    @cached_property
    def _detector(self):
        codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        return builder.with_preloaded_language_models().build()

    def load(self) -> None:
        """Loads the language models (a second or two): at start, not on someone's message."""
        self._detector  # noqa: B018

    def detect(self, text: str) -> str | None:
        if sum(char.isalpha() for char in text) < MIN_LETTERS:
            return None
        best = self._detector.compute_language_confidence_values(text)[0]
        if best.value < MIN_CONFIDENCE:
            return None
        return best.language.iso_code_639_1.name.lower()
