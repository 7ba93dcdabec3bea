"""Fixtures: a data directory with the catalogue, a kiosk, and the whole assistant.

Servers run as real processes on free ports (the same commands `wegwijzer serve` uses);
the assistant is trained once per test session with the real configuration.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from kiosk import accounts
from knowledge import Catalogue
from knowledge.content import load_catalogue
from knowledge.models import Organisation
from wegwijzer.config import CATALOGUE_DIR, Settings
from wegwijzer.database import upgrade
from wegwijzer.training import model_path, rasa_env, train


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def make_settings(data_dir: Path, **changes) -> Settings:
    settings = Settings.from_env({"WEGWIJZER_DATA": str(data_dir)})
    return replace(settings, kiosk_host="127.0.0.1", kiosk_port=free_port(),
                   rasa_port=free_port(), actions_port=free_port(), **changes)


def environment(settings: Settings) -> dict[str, str]:
    return {**rasa_env(settings), "WEGWIJZER_SECRET_KEY": "test-secret"}


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """A data directory with the migrated database, the catalogue and its index."""
    return prepare_data_dir(tmp_path_factory.mktemp("data"))


def prepare_data_dir(folder: Path) -> Path:
    settings = make_settings(folder)
    upgrade(settings.database_url)
    catalogue = Catalogue.from_settings(settings)
    with catalogue.sessions() as session:
        load_catalogue(session, CATALOGUE_DIR)
    catalogue.refresh_index()
    return folder


@pytest.fixture(scope="session")
def catalogue(data_dir) -> Catalogue:
    return Catalogue.from_settings(make_settings(data_dir))


@pytest.fixture(scope="session")
def kiosk(data_dir):
    """A kiosk alone, with no Rasa behind it: base URL."""
    settings = make_settings(data_dir)
    process = start_kiosk(settings)
    yield settings.kiosk_url
    stop(process)


@dataclass
class Model:
    path: Path
    config: Path
    env: dict


@pytest.fixture(scope="session")
def assistant_model(data_dir) -> Model:
    """The assistant's model, trained once per test session."""
    settings = make_settings(data_dir)
    train(settings)
    return Model(model_path(settings), settings.bot_config, environment(settings))


@pytest.fixture(scope="session")
def assistant(data_dir, assistant_model):
    """The whole of Wegwijzer started by `wegwijzer serve`: the kiosk's base URL."""
    settings = make_settings(data_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "wegwijzer", "serve", "--no-train"],
        env={**environment(settings), **settings.as_env()},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = settings.kiosk_url
    wait_until_up(f"{settings.rasa_url}/status", process)
    wait_until_up(f"{base}/healthz", process)
    yield base
    assert stop(process) == 0
    output = process.stdout.read()
    assert "Stopping Wegwijzer" in output


CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_token(http: httpx.Client, url: str) -> str:
    """Opens a page (which sets the CSRF cookie) and reads the token its forms send."""
    page = http.get(url)
    found = CSRF_INPUT.search(page.text)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def post_form(http: httpx.Client, page_url: str, action_url: str, **fields) -> httpx.Response:
    """Posts a form the way a browser does: with the token of the page it is on."""
    return http.post(action_url, data={"csrf_token": csrf_token(http, page_url), **fields})


def start_kiosk(settings: Settings, **env) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "wegwijzer", "kiosk"],
                               env={**environment(settings), **env})
    wait_until_up(f"{settings.kiosk_url}/healthz", process, timeout=60)
    return process


PIN = "4321"


def new_detainee(sessions, **fields) -> str:
    """A new detainee account (PIN `PIN`): their number."""
    number = uuid.uuid4().hex[:10]
    with sessions() as db:
        accounts.create_detainee(db, number, PIN, **fields)
        db.commit()
    return number


STAFF_PASSWORD = "correct horse battery"


def new_staff(sessions, role: str, organisation: str | None = None):
    """A new staff account (password STAFF_PASSWORD, full name "Name <username>")."""
    username = f"{role}-{uuid.uuid4().hex[:8]}"
    with sessions() as db:
        organisation_id = db.scalar(select(Organisation.id).where(
            Organisation.slug == organisation)) if organisation else None
        user = accounts.create_staff(db, username, STAFF_PASSWORD, role,
                                     full_name=f"Name {username}",
                                     organisation_id=organisation_id)
        db.commit()
        return user


class Console:
    """A browser on the console: keeps the cookies and sends the CSRF token with forms."""

    def __init__(self, base: str):
        self.http = httpx.Client(base_url=base, timeout=60)
        self._token = ""

    def get(self, path: str, **params) -> httpx.Response:
        return self.http.get(path, params=params)

    def post(self, path: str, **data) -> httpx.Response:
        return self.http.post(path, data={"csrf_token": self.token(), **data})

    def token(self) -> str:
        if not self._token:
            page = self.get("/staff/signin")
            self._token = CSRF_INPUT.search(page.text).group(1)
        return self._token

    def sign_in(self, username: str, password: str = STAFF_PASSWORD) -> httpx.Response:
        return self.post("/staff/signin", username=username, password=password)


def sign_in(http: httpx.Client, base: str, number: str, pin: str = PIN) -> httpx.Response:
    return post_form(http, f"{base}/signin", f"{base}/signin", number=number, pin=pin)


@pytest.fixture(scope="session")
def db(catalogue):
    """Database sessions on the test session's data directory."""
    return catalogue.sessions


@pytest.fixture
def short_idle_kiosk(data_dir):
    """A kiosk that signs detainees out after 2 idle seconds."""
    settings = make_settings(data_dir)
    process = start_kiosk(settings, WEGWIJZER_IDLE_SECONDS="2")
    yield settings.kiosk_url
    stop(process)


@pytest.fixture
def client():
    with httpx.Client(timeout=60) as http:
        yield http


# Debian's chromium, driven by Playwright (the browser tests).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
