"""Rasa's command line (`python -m rasa`), checking each JSON schema only once.

Rasa 3.6 validates every answer of the action server with `jsonschema.validate`, which
first checks Rasa's (large) response schema against the JSON Schema metaschema, on every
call. Under load that check was half of the Rasa server's CPU time (bench/chat_latency.py),
and it can only ever give the same answer. Here `jsonschema.validate` does what it always
does, but keeps the validator of each schema it has checked. `wegwijzer serve` runs Rasa
through this module: `python -m wegwijzer.rasa_server run ...`.
"""

from __future__ import annotations

import json
from functools import lru_cache

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for

_validate = jsonschema.validate


@lru_cache(maxsize=64)
def _checked_validator(schema_json: str):
    schema = json.loads(schema_json)
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(instance, schema, cls=None, *args, **kwargs):
    if cls is not None or args or kwargs:
        return _validate(instance, schema, cls, *args, **kwargs)
    error = best_match(_checked_validator(json.dumps(schema, sort_keys=True))
                       .iter_errors(instance))
    if error is not None:
        raise error


def main() -> None:
    from rasa.__main__ import main as rasa_main

    jsonschema.validate = validate
    rasa_main()


if __name__ == "__main__":
    main()
