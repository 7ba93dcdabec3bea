"""The staff console (in Dutch): the request queue, detainees and staff accounts."""

from __future__ import annotations

ROUTES: list = []
