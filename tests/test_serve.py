"""`wegwijzer serve` refuses to run half a Wegwijzer."""

import socket
import subprocess
import sys

from tests.conftest import environment, make_settings


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
