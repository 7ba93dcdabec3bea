"""`wegwijzer serve`: the kiosk, the Rasa server and the action server, as one program.

Starts the three processes, waits until each answers, and stops them all together: on
Ctrl-C (or SIGTERM), or as soon as one of them dies.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

from wegwijzer.config import BOT_DIR, REPO_ROOT, Settings
from wegwijzer.training import model_path, rasa_env

START_TIMEOUT = 240  # seconds; loading the Rasa model alone takes about 40
STOP_TIMEOUT = 15


class StartError(RuntimeError):
    pass


@dataclass
class Child:
    name: str
    argv: list[str]
    health_url: str
    env: dict[str, str]
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, cwd) -> None:
        # A session of its own: Ctrl-C reaches only us, and we stop the children in order.
        self.process = subprocess.Popen(self.argv, env=self.env, cwd=cwd, start_new_session=True)

    def exit_code(self) -> int | None:
        return self.process.poll()

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def children(settings: Settings) -> list[Child]:
    # Served, the sentence encoder (knowledge/meaning.py) takes one short message at a time:
    # one thread does it in 11 ms, two in 17 ms and with twice the CPU (training encodes
    # batches, where two threads are faster, and keeps the default).
    env = {**rasa_env(settings), "OMP_NUM_THREADS": "1"}
    python = sys.executable
    return [
        Child("action server",
              [python, "-m", "rasa_sdk", "--actions", "bot.actions",
               "-p", str(settings.actions_port)],
              f"{settings.actions_url}/health", {**env, "SANIC_HOST": "127.0.0.1"}),
        Child("Rasa server",
              [python, "-m", "wegwijzer.rasa_server", "run", "--enable-api",
               "-m", str(model_path(settings)),
               "-i", "127.0.0.1", "-p", str(settings.rasa_port),
               "--endpoints", str(BOT_DIR / "endpoints.yml"),
               "--credentials", str(BOT_DIR / "credentials.yml")],
              f"{settings.rasa_url}/status", env),
        Child("kiosk", [python, "-m", "wegwijzer", "kiosk"],
              f"{settings.kiosk_url}/healthz", env),
    ]


def run(settings: Settings) -> int:
    procs = children(settings)
    # Also SIGINT: started in the background by a script, a process inherits SIGINT
    # ignored, and Ctrl-C (or a supervisor's SIGINT) would then not stop it.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _raise_keyboard_interrupt)
    try:
        for child in procs:
            child.start(cwd=REPO_ROOT)
        _wait_until_answering(procs)
        print(f"Wegwijzer is running on http://{settings.kiosk_host}:{settings.kiosk_port} "
              "(Ctrl-C stops it).", flush=True)
        while True:
            for child in procs:
                if (code := child.exit_code()) is not None:
                    raise StartError(f"The {child.name} stopped unexpectedly (exit code {code}).")
            time.sleep(1)
    except StartError as error:
        print(f"wegwijzer: {error} Stopping everything.", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("Stopping Wegwijzer...", flush=True)
        return 0
    finally:
        # A second Ctrl-C while stopping would leave the children running; stopping is
        # bounded anyway (STOP_TIMEOUT, then kill).
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        for child in reversed(procs):
            child.stop()


def _wait_until_answering(procs: list[Child]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    waiting = list(procs)
    while waiting:
        for child in list(waiting):
            if (code := child.exit_code()) is not None:
                raise StartError(
                    f"The {child.name} failed to start (exit code {code}); see its output above.")
            if child.answers():
                print(f"The {child.name} is up.", flush=True)
                waiting.remove(child)
        if time.monotonic() > deadline:
            names = ", ".join(child.name for child in waiting)
            raise StartError(f"Not answering after {START_TIMEOUT} s: {names}.")
        time.sleep(0.5)


def _raise_keyboard_interrupt(_signum, _frame):
    raise KeyboardInterrupt
