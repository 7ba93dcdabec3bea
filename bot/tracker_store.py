"""A tracker store that keeps each conversation's state and its recent turns only.

Rasa featurises, serialises and sends (to the NLG endpoint and the action server) the
whole conversation on every message, so each message costs more than the one before.
Wegwijzer's dialogue looks back a few turns at most (bot/config.yml), and a detainee's
chat should not be kept longer than needed anyway: when a conversation grows past
`max_events`, its older events are replaced by their outcome (the slots and the active
form), which is all the policies and actions use.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

MAX_EVENTS = 40


class RecentTurnsTrackerStore(InMemoryTrackerStore):
    def __init__(self, domain, event_broker=None, max_events: int = MAX_EVENTS, **kwargs: Any):
        super().__init__(domain, event_broker, **kwargs)
        self.max_events = int(max_events)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if len(tracker.events) > self.max_events:
            tracker = recent_turns(tracker, self.max_events // 2, self.domain.slots)
        await super().save(tracker)


def recent_turns(tracker: DialogueStateTracker, keep: int, slots) -> DialogueStateTracker:
    """The same conversation state, with only the turns in the last `keep` events."""
    events = list(tracker.events)
    cut = len(events) - keep
    # Start the kept part at a user message, so every kept turn is whole.
    while cut < len(events) and not isinstance(events[cut], UserUttered):
        cut += 1
    before = DialogueStateTracker.from_events(tracker.sender_id, events[:cut], slots=slots)
    summary = [
        ActionExecuted(ACTION_SESSION_START_NAME),
        SessionStarted(),
        *(SlotSet(name, value) for name, value in before.current_slot_values().items()
          if value is not None),
        ActiveLoop(before.active_loop_name),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]
    return DialogueStateTracker.from_events(tracker.sender_id, summary + events[cut:], slots=slots)
