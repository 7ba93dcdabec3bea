"""Custom actions, served by rasa_sdk (`python -m rasa_sdk --actions bot.actions`)."""
