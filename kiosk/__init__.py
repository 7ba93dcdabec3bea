"""The kiosk: the sanic web application devices talk to (pages, JSON API, chat, NLG)."""

from kiosk.app import create_app

__all__ = ["create_app"]
