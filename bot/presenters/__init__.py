"""Presenters: the sentences of every reply (Japanese and English), plain text; Slack's Block Kit is in bot.slack."""
