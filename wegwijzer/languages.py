"""The languages Wegwijzer speaks (a fixed contract, see DESIGN.md)."""

LANGUAGES = ("nl", "fr", "en", "ar", "tr", "pl", "ro")
DEFAULT_LANGUAGE = "nl"
RIGHT_TO_LEFT = frozenset({"ar"})

# Languages every service is written in; other languages fall back to these, in order.
BASE_LANGUAGES = ("nl", "en")

# Each language's name in that language, for the language picker.
NATIVE_NAMES = {
    "nl": "Nederlands",
    "fr": "Français",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "pl": "Polski",
    "ro": "Română",
}


def fallback_order(lang: str) -> tuple[str, ...]:
    """The languages to show a text in, best first, for a reader of `lang`."""
    return (lang,) + tuple(base for base in ("en", "nl") if base != lang)


def text_direction(lang: str) -> str:
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"
