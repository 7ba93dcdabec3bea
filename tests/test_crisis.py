"""The crisis net (bot/crisis_terms.yml): it catches crises said plainly in every language,
and raises no false alarm on what people ask every day."""

import re

import pytest
import yaml

from bot.components.crisis import TERMS_FILE, mentions_crisis
from wegwijzer.config import BOT_DIR
from wegwijzer.languages import LANGUAGES

ENTITY = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


def training_examples(lang: str) -> list[tuple[str, str]]:
    examples = []
    for path in sorted((BOT_DIR / "data" / "nlu" / lang).glob("*.yml")):
        for block in yaml.safe_load(path.read_text("utf-8"))["nlu"]:
            if "intent" not in block:
                continue  # a synonym or lookup table
            for line in block["examples"].splitlines():
                if line.strip():
                    examples.append((block["intent"], ENTITY.sub(r"\1", line.strip()[2:])))
    return examples


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_training_example_of_another_intent_is_taken_for_a_crisis(lang):
    alarms = [text for intent, text in training_examples(lang)
              if intent != "urgent_help" and mentions_crisis(text)]
    assert alarms == []


def test_every_language_has_crisis_terms():
    terms = yaml.safe_load(TERMS_FILE.read_text("utf-8"))
    assert sorted(terms) == sorted(LANGUAGES)


@pytest.mark.parametrize("text", [
    "ik wil er een einde aan maken", "je veux en finir", "chest pain i cant breathe",
    "لا أريد أن أعيش", "bileklerimi kestim", "pocialem sie, leci krew", "m-am taiat",
])
def test_a_crisis_said_plainly_is_caught(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize("text", [
    "ik kan niet slapen", "je veux me couper les cheveux", "I want to end my contract",
    "bu kursa bayiliyorum", "grozi mi deportacja", "cursul asta ma omoara",
])
def test_ordinary_words_near_a_crisis_are_not_one(text):
    assert not mentions_crisis(text)
