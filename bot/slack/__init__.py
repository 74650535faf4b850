"""The Slack front end (Bolt): receives, renders with the Block Kit presenter, sends. No answering logic here."""
