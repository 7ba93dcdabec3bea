"""NLU quality per language on held-out data (bench/data/, never used for training).

Trains the NLU part of bot/config.yml on bot/data/nlu, then reports per language:
intent accuracy and macro-F1, entity F1 (exact entity and value), and service hit@3 on
need questions (the first three services the assistant would propose, through the same
catalogue search as action_find_services, contain an expected one).

    .venv/bin/python bench/nlu_quality.py [--config bot/config.yml] [--model PATH]

Uses the data directory of the settings (WEGWIJZER_DATA) for the catalogue.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from sklearn.metrics import f1_score

from wegwijzer.config import BOT_DIR, REPO_ROOT, Settings
from wegwijzer.languages import LANGUAGES
from wegwijzer.training import rasa_env

DATA = REPO_ROOT / "bench" / "data"
# Intents whose reply proposes services from a catalogue search: find_help, ask_service
# and the fallback list them (bot/data/rules/help.yml); book_appointment starts the form,
# whose first question offers them as buttons when it names a topic (action_ask_service).
SEARCH_INTENTS = {"find_help", "ask_service", "nlu_fallback", "book_appointment"}


def train_nlu(config: Path, out: Path) -> Path:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config),
                    "--nlu", str(BOT_DIR / "data" / "nlu"), "--out", str(out),
                    "--fixed-model-name", "nlu"],
                   env=rasa_env(Settings.from_env()), check=True, stdout=subprocess.DEVNULL)
    print(f"NLU trained in {time.monotonic() - started:.0f} s")
    return out / "nlu.tar.gz"


def load_examples(path: Path):
    """(text, intent, {(entity, value)}) from a Rasa NLU YAML file."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [
        (example.get("text"), example.get("intent"),
         {(e["entity"], e.get("value", "")) for e in example.get("entities", [])})
        for example in data.intent_examples
    ]


def training_texts() -> set[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(str(BOT_DIR / "data" / "nlu")).intent_examples
    return {example.get("text").casefold() for example in examples}


async def parse_all(agent, texts):
    return [await agent.parse_message(text) for text in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=BOT_DIR / "config.yml")
    parser.add_argument("--model", type=Path, help="an NLU model to use instead of training")
    args = parser.parse_args()

    os.environ.update(rasa_env(Settings.from_env()))
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog
    from rasa.utils.tensorflow.environment import setup_tf_environment

    from knowledge import Catalogue

    configure_structlog(logging.WARNING)  # else every parse is logged
    setup_tf_environment()
    model = args.model or train_nlu(args.config, Path(tempfile.mkdtemp()))
    agent = Agent.load(str(model))
    catalogue = Catalogue.from_settings(Settings.from_env())
    seen = training_texts()
    questions = yaml.safe_load((DATA / "need_questions.yml").read_text())

    print(f"{'lang':4} {'n':>4} {'intent acc':>10} {'macro-F1':>8} {'entity F1':>9} "
          f"{'hit@3':>6} {'(needs)':>7} {'leaked':>6}")
    for lang in LANGUAGES:
        examples = load_examples(DATA / "nlu_test" / f"{lang}.yml")
        leaked = sum(text.casefold() in seen for text, _, _ in examples)
        examples = [e for e in examples if e[0].casefold() not in seen]
        parses = asyncio.run(parse_all(agent, [text for text, _, _ in examples]))
        gold = [intent for _, intent, _ in examples]
        predicted = [p["intent"]["name"] for p in parses]
        accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
        macro_f1 = f1_score(gold, predicted, average="macro", labels=sorted(set(gold)))
        true_pos = false_pos = false_neg = 0
        for (_, _, expected), parse in zip(examples, parses, strict=True):
            found = {(e["entity"], e.get("value", "")) for e in parse["entities"]
                     if e["entity"] == "topic"}
            true_pos += len(found & expected)
            false_pos += len(found - expected)
            false_neg += len(expected - found)
        entity_f1 = 2 * true_pos / max(1, 2 * true_pos + false_pos + false_neg)

        needs = [q for q in questions if q["lang"] == lang]
        need_parses = asyncio.run(parse_all(agent, [q["text"] for q in needs]))
        hits = 0
        for question, parse in zip(needs, need_parses, strict=True):
            topics = [entity["value"].replace("_", " ") for entity in parse["entities"]
                      if entity["entity"] == "topic"]
            intent = parse["intent"]["name"]
            if intent not in SEARCH_INTENTS or (intent == "book_appointment" and not topics):
                continue
            slugs = [hit.slug for hit in catalogue.search_need(question["text"], topics, lang, 3)]
            hits += any(slug in slugs for slug in question["expected"])
        hit_rate = hits / len(needs) if needs else float("nan")
        print(f"{lang:4} {len(examples):4d} {accuracy:10.1%} {macro_f1:8.3f} {entity_f1:9.3f} "
              f"{hit_rate:6.1%} {len(needs):7d} {leaked:6d}")


if __name__ == "__main__":
    main()
