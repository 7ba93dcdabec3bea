"""Settings, read once from the environment (WEGWIJZER_*) and passed down explicitly."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BOT_DIR = REPO_ROOT / "bot"
TRANSLATIONS_DIR = REPO_ROOT / "translations"
CATALOGUE_DIR = REPO_ROOT / "knowledge" / "catalogue"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    kiosk_host: str = "0.0.0.0"
    kiosk_port: int = 8080
    rasa_port: int = 5005
    actions_port: int = 5055
    bot_config: Path = BOT_DIR / "config.yml"
    # Signed-in detainees are signed out after this many idle seconds (shared kiosks).
    idle_seconds: int = 120
    staff_idle_seconds: int = 1800
    # Appointments are entered and shown in the prison's local time.
    timezone: str = "Europe/Brussels"
    # Editors are reminded of services nobody confirmed for this many days.
    check_days: int = 180
    # Mark cookies Secure even on plain HTTP (set when a TLS proxy is in front).
    secure_cookies: bool = False

    @classmethod
    def from_env(cls, environ=os.environ) -> "Settings":
        data_dir = Path(environ.get("WEGWIJZER_DATA", REPO_ROOT / "data")).resolve()
        return cls(
            data_dir=data_dir,
            database_url=environ.get(
                "WEGWIJZER_DATABASE_URL", f"sqlite:///{data_dir / 'wegwijzer.db'}"
            ),
            kiosk_host=environ.get("WEGWIJZER_HOST", cls.kiosk_host),
            kiosk_port=int(environ.get("WEGWIJZER_PORT", cls.kiosk_port)),
            rasa_port=int(environ.get("WEGWIJZER_RASA_PORT", cls.rasa_port)),
            actions_port=int(environ.get("WEGWIJZER_ACTIONS_PORT", cls.actions_port)),
            bot_config=Path(environ.get("WEGWIJZER_BOT_CONFIG", cls.bot_config)).resolve(),
            idle_seconds=int(environ.get("WEGWIJZER_IDLE_SECONDS", cls.idle_seconds)),
            staff_idle_seconds=int(
                environ.get("WEGWIJZER_STAFF_IDLE_SECONDS", cls.staff_idle_seconds)),
            timezone=environ.get("WEGWIJZER_TIMEZONE", cls.timezone),
            secure_cookies=environ.get("WEGWIJZER_SECURE_COOKIES", "") == "1",
            check_days=int(environ.get("WEGWIJZER_CHECK_DAYS", cls.check_days)),
        )

    def as_env(self) -> dict[str, str]:
        """These settings as environment variables, for the processes `serve` starts."""
        return {
            "WEGWIJZER_DATA": str(self.data_dir),
            "WEGWIJZER_DATABASE_URL": self.database_url,
            "WEGWIJZER_HOST": self.kiosk_host,
            "WEGWIJZER_PORT": str(self.kiosk_port),
            "WEGWIJZER_RASA_PORT": str(self.rasa_port),
            "WEGWIJZER_ACTIONS_PORT": str(self.actions_port),
            "WEGWIJZER_BOT_CONFIG": str(self.bot_config),
            "WEGWIJZER_IDLE_SECONDS": str(self.idle_seconds),
            "WEGWIJZER_STAFF_IDLE_SECONDS": str(self.staff_idle_seconds),
            "WEGWIJZER_TIMEZONE": self.timezone,
            "WEGWIJZER_SECURE_COOKIES": "1" if self.secure_cookies else "",
            "WEGWIJZER_CHECK_DAYS": str(self.check_days),
            # Read by bot/endpoints.yml.
            "WEGWIJZER_ACTIONS_URL": f"{self.actions_url}/webhook",
            "WEGWIJZER_NLG_URL": f"http://127.0.0.1:{self.kiosk_port}/nlg",
        }

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def kiosk_url(self) -> str:
        return f"http://127.0.0.1:{self.kiosk_port}"

    def secret_key(self) -> str:
        """The key that signs cookies: WEGWIJZER_SECRET_KEY, or one kept in the data directory."""
        if key := os.environ.get("WEGWIJZER_SECRET_KEY"):
            return key
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()
