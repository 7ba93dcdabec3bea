"""The tracker store keeps a conversation's state and its recent turns only."""

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import RecentTurnsTrackerStore
from wegwijzer.config import BOT_DIR

DOMAIN = Domain.load(str(BOT_DIR / "domain.yml"))


def turn(text: str) -> list:
    return [UserUttered(text, {"name": "find_help", "confidence": 1.0}),
            ActionExecuted("action_find_services"), BotUttered("..."),
            ActionExecuted("action_listen")]


def long_conversation(turns: int) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen"),
              *turn("ik heb schulden"), SlotSet("topic", ["debts"]),
              ActionExecuted("appointment_form"), ActiveLoop("appointment_form"),
              SlotSet("service", "ocmw-sociaal-huis"), SlotSet("requested_slot", "description")]
    for index in range(turns):
        events += turn(f"bericht {index}")
    return DialogueStateTracker.from_events("someone", events, slots=DOMAIN.slots)


def test_a_long_conversation_is_cut_to_its_recent_turns_keeping_its_state():
    store = RecentTurnsTrackerStore(DOMAIN, max_events=40)
    asyncio.run(store.save(long_conversation(100)))
    kept = asyncio.run(store.retrieve("someone"))
    assert len(kept.events) <= 40
    assert kept.get_slot("topic") == ["debts"]
    assert kept.get_slot("service") == "ocmw-sociaal-huis"
    assert kept.get_slot("requested_slot") == "description"
    assert kept.active_loop_name == "appointment_form"
    assert kept.latest_message.text == "bericht 99"
    user_messages = [event for event in kept.events if isinstance(event, UserUttered)]
    assert user_messages[0].text.startswith("bericht")


def test_a_short_conversation_is_kept_whole():
    store = RecentTurnsTrackerStore(DOMAIN, max_events=40)
    tracker = long_conversation(3)
    asyncio.run(store.save(tracker))
    assert len(asyncio.run(store.retrieve("someone")).events) == len(tracker.events)
