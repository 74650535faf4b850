"""When to call Slack's Web API again: slack_sdk's own retry handlers, made safe for posting.

A message must never be posted twice, so a request is repeated only when Slack certainly did not act on it: the
connection was refused (nothing was sent), or Slack answered 429 (rate limited) with a short enough Retry-After.
Server errors are retried only for methods that change nothing. Whatever happens, a retry never waits long.
"""

from __future__ import annotations

from urllib.error import URLError

from slack_sdk.http_retry.builtin_handlers import (ConnectionErrorRetryHandler, RateLimitErrorRetryHandler,
                                                   ServerErrorRetryHandler)

MAX_RETRY_AFTER = 5  # seconds: a longer Retry-After is not waited for (the answer would come too late to help)
POSTING = ("chat.postMessage", "chat.postEphemeral", "chat.update", "views.publish", "assistant.threads")


def _posts(request) -> bool:
    return any(method in request.url for method in POSTING)


class RefusedConnectionRetryHandler(ConnectionErrorRetryHandler):
    """Retry only when the connection was refused: the request never reached Slack. A reset or a timeout after the
    request was sent leaves its outcome unknown, and is not repeated."""

    def __init__(self, max_retry_count: int = 2):
        super().__init__(max_retry_count=max_retry_count, error_types=[ConnectionRefusedError])

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if isinstance(error, URLError) and response is None:
            return isinstance(error.reason, ConnectionRefusedError)
        return super()._can_retry(state=state, request=request, response=response, error=error)


class CappedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Retry a 429 only when Slack asks to wait at most MAX_RETRY_AFTER seconds."""

    def __init__(self, max_retry_count: int = 2, max_wait: int = MAX_RETRY_AFTER):
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        wait = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), ["1"])
        try:
            return int(wait[0] if isinstance(wait, list) else wait) <= self.max_wait
        except ValueError:
            return False


class ReadOnlyServerErrorRetryHandler(ServerErrorRetryHandler):
    """Retry a 500/503 only for methods that post nothing (auth.test, conversations.info …)."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        return not _posts(request) and super()._can_retry(state=state, request=request, response=response, error=error)


def retry_handlers() -> list:
    return [RefusedConnectionRetryHandler(), CappedRateLimitRetryHandler(), ReadOnlyServerErrorRetryHandler()]
