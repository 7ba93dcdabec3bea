"""The crisis net (bot/crisis_terms.yml): it catches crises said plainly in every language,
and raises no false alarm on what people ask every day."""

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot.components.crisis import TERMS_FILE, mentions_crisis
from wegwijzer.config import BOT_DIR
from wegwijzer.languages import LANGUAGES


def training_examples(lang: str) -> list[tuple[str, str]]:
    """(intent, text without entity marks) of the language's NLU data, as Rasa reads it."""
    data = load_data(str(BOT_DIR / "data" / "nlu" / lang))
    return [(example.get("intent"), example.get("text")) for example in data.intent_examples]


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
