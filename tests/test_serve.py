"""`wegwijzer serve` refuses to run half a Wegwijzer, and stops all of it."""

import signal
import socket
import subprocess
import sys

from tests.conftest import environment, make_settings, stop, wait_until_up


def test_serve_exits_non_zero_when_a_process_cannot_start(data_dir, assistant_model):
    settings = make_settings(data_dir)
    with socket.socket() as taken:
        # The kiosk's port is taken: the kiosk cannot start.
        taken.bind(("127.0.0.1", settings.kiosk_port))
        taken.listen()
        result = subprocess.run(
            [sys.executable, "-m", "wegwijzer", "serve", "--no-train"],
            env={**environment(settings), **settings.as_env()},
            capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 1
    assert "failed to start" in result.stderr or "stopped unexpectedly" in result.stderr


def test_serve_without_a_model_says_how_to_get_one(tmp_path):
    settings = make_settings(tmp_path / "empty")
    result = subprocess.run(
        [sys.executable, "-m", "wegwijzer", "serve", "--no-train"],
        env={**environment(settings), **settings.as_env()},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1
    assert "wegwijzer train" in result.stderr


def test_serve_stops_on_sigint_even_when_started_with_sigint_ignored(data_dir,
                                                                     assistant_model):
    # A script that starts serve in the background (`serve &`) hands it SIGINT ignored.
    settings = make_settings(data_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "wegwijzer", "serve", "--no-train"],
        env={**environment(settings), **settings.as_env()},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    wait_until_up(f"{settings.kiosk_url}/healthz", process)
    assert stop(process) == 0
    assert "Stopping Wegwijzer" in process.stdout.read()
