"""Training the assistant: only when the bot's config, domain or data changed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from wegwijzer.config import BOT_DIR, Settings

MODEL_NAME = "wegwijzer"


def rasa_env(settings: Settings) -> dict[str, str]:
    """Environment for Rasa processes: offline, quiet, cache inside the data directory."""
    return {
        **os.environ,
        **settings.as_env(),
        "RASA_TELEMETRY_ENABLED": "false",
        "RASA_CACHE_DIRECTORY": str(settings.data_dir / "rasa-cache"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


def training_inputs(settings: Settings) -> list[Path]:
    """What a model is made from: config, domain, data, and the custom NLU components."""
    data = sorted((BOT_DIR / "data").rglob("*.yml"))
    components = sorted((BOT_DIR / "components").glob("*.py"))
    return [settings.bot_config, BOT_DIR / "domain.yml", *data, *components]


def fingerprint(settings: Settings) -> str:
    digest = hashlib.sha256()
    for path in training_inputs(settings):
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path(settings: Settings) -> Path:
    return settings.model_dir / f"{MODEL_NAME}.tar.gz"


def model_is_current(settings: Settings) -> bool:
    stamp = settings.model_dir / f"{MODEL_NAME}.fingerprint"
    return (
        model_path(settings).exists()
        and stamp.exists()
        and stamp.read_text().strip() == fingerprint(settings)
    )


def train(settings: Settings, force: bool = False) -> bool:
    """Trains a model if there is no current one; returns whether it trained."""
    if model_is_current(settings) and not force:
        return False
    current = fingerprint(settings)
    settings.model_dir.mkdir(parents=True, exist_ok=True)
    print(f"Training the assistant with {settings.bot_config.name} (this takes a few minutes)...",
          flush=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "rasa", "train",
         "--config", str(settings.bot_config),
         "--domain", str(BOT_DIR / "domain.yml"),
         "--data", str(BOT_DIR / "data"),
         "--out", str(settings.model_dir),
         "--fixed-model-name", MODEL_NAME],
        env=rasa_env(settings), cwd=settings.data_dir, check=True,
    )
    (settings.model_dir / f"{MODEL_NAME}.fingerprint").write_text(current)
    print(f"Trained the assistant in {time.monotonic() - started:.0f} s.", flush=True)
    return True
