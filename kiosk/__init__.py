"""The kiosk: the sanic web application devices talk to (pages, consoles, JSON API, chat,
NLG) and what it keeps: accounts, sessions and the request queue."""
