"""The Rasa server `wegwijzer serve` runs still validates what the action server answers,
checking Rasa's response schema once rather than on every action."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from wegwijzer import rasa_server


def test_action_answers_are_validated_against_a_schema_checked_once():
    rasa_server._checked_validator.cache_clear()
    answer = {"events": [{"event": "slot", "name": "topic", "value": ["housing"]}],
              "responses": [{"response": "utter_services_found"}]}
    for _ in range(3):  # Rasa builds the schema anew for every action
        rasa_server.validate(answer, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError):
        rasa_server.validate({"events": "not a list"}, RemoteAction.action_response_format_spec())
    assert rasa_server._checked_validator.cache_info().misses == 1


def test_a_schema_that_is_itself_wrong_is_still_refused():
    with pytest.raises(Exception, match="is not valid under any of the given schemas"):
        rasa_server.validate({}, {"type": 12})
