"""NLU quality per language on held-out data (bench/data/*/, never used for training).

Trains the NLU part of bot/config.yml on bot/data/nlu, then reports per language:
intent accuracy; "same answer", the share of messages whose predicted intent the rules
answer as the gold one would (find_help, ask_service and the fallback all search the
catalogue; outside a form "no" and "stop" both get "okay"), so what a person asking it
first would see; macro-F1, entity F1 (exact entity and value), and service hit@3 on
need questions (the first three services the assistant's reply would propose, by the
actions' own code, contain an expected one).

    .venv/bin/python bench/nlu_quality.py [--config bot/config.yml] [--model PATH] [--data DIR]

Each folder of bench/data/ is a set written at one time, by people who had not seen the
training data nor the earlier sets: first/ to sixth/ (the last four without entity
annotations). first/ to fifth/ were used for error analysis once measured, so their
later figures flatter; sixth/ was not (it was first measured on the model with the
meaning search and the added arabizi and informal French examples). Texts that are also
training examples are left out of the figures ("leaked").

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
from functools import cache
from pathlib import Path

import yaml
from sklearn.metrics import f1_score

from bot.actions.appointment import matching_services
from bot.actions.context import catalogue
from bot.actions.costs import services_asked_about
from bot.actions.find_services import MAX_SERVICES
from bot.actions.related import related_services
from wegwijzer.config import BOT_DIR, REPO_ROOT, Settings
from wegwijzer.languages import LANGUAGES
from wegwijzer.training import rasa_env

DATA = REPO_ROOT / "bench" / "data"
SETS = ("first", "second", "third", "fourth", "fifth", "sixth")  # in the order they were written


@cache
def rules() -> list[dict]:
    return [rule for path in sorted((BOT_DIR / "data" / "rules").glob("*.yml"))
            for rule in yaml.safe_load(path.read_text())["rules"]]


@cache
def related_help_intents() -> frozenset[str]:
    """The intents whose answer the rules follow with action_related_help."""
    return frozenset(step["intent"] for rule in rules()
                     if any(step.get("action") == "action_related_help" for step in rule["steps"])
                     for step in rule["steps"] if "intent" in step)


@cache
def answers() -> dict[str, tuple[str, ...]]:
    """The actions a rule answers an intent with, for rules that start with one: find_help,
    ask_service and nlu_fallback all get the same catalogue search."""
    return {rule["steps"][0]["intent"]: tuple(step["action"] for step in rule["steps"][1:])
            for rule in rules() if "intent" in rule["steps"][0] and len(rule["steps"]) > 1
            and all("action" in step for step in rule["steps"][1:])}


def same_answer(gold: str, predicted: str) -> bool:
    return gold == predicted or answers().get(gold, gold) == answers().get(predicted, predicted)


def proposed_services(parse: dict, text: str, lang: str) -> list[str]:
    """The services the assistant's reply to a first message proposes, by the actions' own
    code: find_help, ask_service and the fallback list them (bot/data/rules/help.yml); the
    appointment form's first question offers those the request names as buttons; a cost
    question answers for the services it names; other answers that are no search are
    followed by clearly related services (action_related_help)."""
    intent = parse["intent"]["name"]
    if intent in {"find_help", "ask_service", "nlu_fallback"}:
        return [hit.slug for hit in catalogue().search_need(text, [], lang, MAX_SERVICES)]
    if intent == "book_appointment":
        return matching_services(text, [], lang)
    if intent == "ask_cost":
        topics = [e["value"] for e in parse["entities"] if e["entity"] == "topic"]
        return services_asked_about(topics, [], text, lang)
    if intent in related_help_intents():
        return [hit.slug for hit in related_services(text, lang)]
    return []


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


@cache
def annotated(folder: Path) -> bool:
    """Whether the writers of a set marked the topic entities (those of first/ and second/)."""
    return any(entities for lang in LANGUAGES
               for _, _, entities in load_examples(folder / "nlu_test" / f"{lang}.yml"))


def training_texts() -> set[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(str(BOT_DIR / "data" / "nlu")).intent_examples
    return {example.get("text").casefold() for example in examples}


async def parse_all(agent, texts):
    return [await agent.parse_message(text) for text in texts]


def report(agent, seen: set[str], folders: list[Path]) -> None:
    """One line per language over the held-out sets in `folders`."""
    questions = [question for folder in folders
                 for question in yaml.safe_load((folder / "need_questions.yml").read_text())]
    print(f"{'lang':4} {'n':>4} {'intent acc':>10} {'same answer':>11} {'macro-F1':>8} "
          f"{'entity F1':>9} {'hit@3':>6} {'(needs)':>7} {'leaked':>6}")
    for lang in LANGUAGES:
        # Entities are None for a set whose writers did not mark them.
        examples = [(text, intent, entities if annotated(folder) else None)
                    for folder in folders
                    for text, intent, entities in load_examples(
                        folder / "nlu_test" / f"{lang}.yml")]
        leaked = sum(text.casefold() in seen for text, _, _ in examples)
        examples = [e for e in examples if e[0].casefold() not in seen]
        parses = asyncio.run(parse_all(agent, [text for text, _, _ in examples]))
        gold = [intent for _, intent, _ in examples]
        predicted = [p["intent"]["name"] for p in parses]
        accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
        answered = sum(map(same_answer, gold, predicted)) / len(gold)
        macro_f1 = f1_score(gold, predicted, average="macro", labels=sorted(set(gold)))
        true_pos = false_pos = false_neg = 0
        for (_, _, expected), parse in zip(examples, parses, strict=True):
            if expected is None:
                continue
            found = {(e["entity"], e.get("value", "")) for e in parse["entities"]
                     if e["entity"] == "topic"}
            true_pos += len(found & expected)
            false_pos += len(found - expected)
            false_neg += len(expected - found)
        entity_f1 = (2 * true_pos / max(1, 2 * true_pos + false_pos + false_neg)
                     if any(expected is not None for _, _, expected in examples)
                     else float("nan"))

        needs = [q for q in questions if q["lang"] == lang]
        need_parses = asyncio.run(parse_all(agent, [q["text"] for q in needs]))
        hits = 0
        for question, parse in zip(needs, need_parses, strict=True):
            slugs = proposed_services(parse, question["text"], lang)
            hits += any(slug in slugs[:3] for slug in question["expected"])
        hit_rate = hits / len(needs) if needs else float("nan")
        print(f"{lang:4} {len(examples):4d} {accuracy:10.1%} {answered:11.1%} {macro_f1:8.3f} "
              f"{entity_f1:9.3f} "
              f"{hit_rate:6.1%} {len(needs):7d} {leaked:6d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=BOT_DIR / "config.yml")
    parser.add_argument("--model", type=Path, help="an NLU model to use instead of training")
    parser.add_argument("--data", type=Path,
                        help="one folder with need_questions.yml and nlu_test/<lang>.yml "
                             "(default: each set in bench/data, then all together)")
    args = parser.parse_args()

    os.environ.update(rasa_env(Settings.from_env()))
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog
    from rasa.utils.tensorflow.environment import setup_tf_environment

    configure_structlog(logging.WARNING)  # else every parse is logged
    setup_tf_environment()
    model = args.model or train_nlu(args.config, Path(tempfile.mkdtemp()))
    agent = Agent.load(str(model))
    seen = training_texts()
    folders = [args.data] if args.data else [DATA / name for name in SETS]
    for folder in folders:
        print(f"\n{folder.name}")
        report(agent, seen, [folder])
    if len(folders) > 1:
        print("\nall sets together")
        report(agent, seen, folders)


if __name__ == "__main__":
    main()
