"""One key for the workspace a request comes from, used everywhere: conversations, button values, records.

Bolt's context has the team for an ordinary install; for an org-wide (Enterprise Grid) install it has only the
enterprise, and the workspace is the one the event, command or click names. The key is then "enterprise/team", so
that two workspaces of one organization never share a conversation and every record says its workspace.
"""

from __future__ import annotations


def _team_in(body: dict) -> str:
    """The workspace a payload names: events (team_id, event.team), commands (team_id), clicks (team.id, user.team_id)."""
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    for value in (body.get("team_id"), event.get("team"), team.get("id"), user.get("team_id")):
        if isinstance(value, str) and value:
            return value
    return ""


def workspace(context, body: dict | None = None) -> str:
    """'T123' for a workspace install; 'E1/T9' for an org-wide install's workspace T9."""
    body = body or {}
    team = context.team_id or _team_in(body)
    enterprise = context.enterprise_id if context.is_enterprise_install else None
    return f"{enterprise}/{team}" if enterprise else (team or "")


def conversation(context, body: dict | None, *parts: str) -> str:
    """The key of a conversation: the workspace, then where it happens (channel, thread, user, surface)."""
    return ":".join((workspace(context, body), *parts))
