"""Global middleware: put the services into the context, and drop retried or duplicate deliveries."""

from __future__ import annotations

from slack_bolt.response import BoltResponse

from bot.slack.dedupe import SeenEvents
from bot.slack.services import CONTEXT_KEY, SEEN_KEYS, SlackServices


def provide(services: SlackServices):
    def provide_services(context, next):
        context[CONTEXT_KEY] = services
        next()

    return provide_services


def deduplicate(seen: SeenEvents):
    """Events API retries (X-Slack-Retry-Num) and duplicate deliveries never produce a second answer.

    An event is identified by its event_id; a user message also by its client_msg_id (the same DM can
    arrive as message.im and app_mention). Duplicates are acknowledged with 200 and go no further.
    """

    def drop_duplicates(body, context, next, logger):
        if body.get("type") != "event_callback":
            return next()
        event = body.get("event") or {}
        keys = []
        if body.get("event_id"):
            keys.append(f"event:{body['event_id']}")
        # the same user message arrives twice as app_mention and message.im (or message.channels): answered once. A
        # channel message is keyed by its event only, since the message listener leaves mentions to app_mention.
        if event.get("client_msg_id") and not (event.get("type") == "message" and event.get("channel_type") in ("channel", "group")):
            keys.append(f"msg:{body.get('enterprise_id') or ''}/{body.get('team_id', '')}:{event.get('channel', '')}:"
                        f"{event['client_msg_id']}")
        fresh = [seen.first_time(key) for key in keys]
        if keys and not all(fresh):
            logger.info("duplicate delivery of %s ignored", body.get("event_id"))
            return BoltResponse(status=200, body="")
        context[SEEN_KEYS] = keys  # a listener that refuses the event forgets them (SlackServices.refuse)
        return next()

    return drop_duplicates
