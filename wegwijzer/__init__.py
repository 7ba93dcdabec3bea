"""Wegwijzer: the shared core (settings, languages, database migrations, the command line)."""
