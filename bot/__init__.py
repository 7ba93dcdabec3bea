"""The Rasa assistant: a plain Rasa project (config, domain, data) plus its custom actions."""
