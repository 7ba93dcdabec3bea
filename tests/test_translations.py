"""The translations workflow: every UI and assistant message is translated into all seven
languages with the same placeholders, and plural forms follow CLDR (Arabic, Polish)."""

from __future__ import annotations

import re

import pytest
from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from wegwijzer.config import REPO_ROOT, TRANSLATIONS_DIR
from wegwijzer.i18n import translations
from wegwijzer.languages import LANGUAGES

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
# gettext's plural index per CLDR category, in the order of each Plural-Forms header.
PLURAL_ORDER = {
    "ar": ["zero", "one", "two", "few", "many", "other"],
    "pl": ["one", "few", "many"],
}


def source_messages() -> list:
    """Every message the code, templates and bot/domain.yml use, extracted afresh."""
    with open(REPO_ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(str(REPO_ROOT), method_map, options_map, keywords=keywords)
    return list({message for _, _, message, _, _ in found})


def catalogue(lang: str):
    with open(TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=lang)


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@pytest.fixture(scope="module")
def messages():
    found = source_messages()
    assert len(found) > 100  # the extraction itself worked
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(messages, lang):
    po = catalogue(lang)
    missing = []
    for message in messages:
        entry = po.get(message[0] if isinstance(message, tuple) else message)
        forms = entry.string if entry else None
        forms = forms if isinstance(forms, (list, tuple)) else [forms]
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(message)
    assert not missing, f"{len(missing)} messages not translated into {lang}: {missing[:5]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_are_the_same_in_every_language(lang):
    wrong = []
    for entry in catalogue(lang):
        if not entry.id or not entry.string:
            continue
        if isinstance(entry.id, tuple):
            expected = placeholders(entry.id[1])
            # A form for exactly one/two/zero things may leave the number out.
            for form in entry.string:
                if placeholders(form) - expected or (expected - {"num"}) - placeholders(form):
                    wrong.append(entry.id)
        elif placeholders(entry.string) != placeholders(entry.id):
            wrong.append(entry.id)
    assert not wrong, f"placeholders differ in {lang}: {wrong[:5]}"


@pytest.mark.parametrize("lang", sorted(PLURAL_ORDER))
def test_plural_forms_follow_cldr(lang):
    locale = Locale.parse(lang)
    plural = translations(lang).plural
    for n in (0, 1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 100, 101, 102, 111):
        assert PLURAL_ORDER[lang][plural(n)] == locale.plural_form(n), n


def test_arabic_plurals_read_differently_for_each_category():
    arabic = translations("ar")
    singular = "%(num)d service found for “%(query)s”"
    plural = "%(num)d services found for “%(query)s”"
    texts = {n: arabic.ngettext(singular, plural, n) % {"num": n, "query": "x"}
             for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(texts.values())) == 6, texts
