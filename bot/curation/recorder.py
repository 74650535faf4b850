"""The interface the curators' records are written through, and the recorder that records nothing — without the
database libraries, so that a command that records nothing (`ask` with MADOGUCHI_DB=off, `chat --jsonl`) never loads
them (bot.curation.records has the database recorder)."""

from __future__ import annotations

from enum import StrEnum
from typing import Callable, Protocol, Sequence

from bot.core.answer import Answer


class Reason(StrEnum):
    """Why an answer was wrong, as a user says it in one click after 違う (recorded with the offices shown)."""

    UNREACHABLE = "unreachable"  # 番号がつながらない
    WRONG_OFFICE = "wrong_office"  # 窓口が違う
    OTHER = "other"  # その他


class Recorder(Protocol):
    """Where answers and feedback are recorded for the curators. `reply` renders the answer's text, called only
    when the text is kept."""

    def answered(self, surface: str, question: str, answer: Answer, user: str, reply: Callable[[], str],
                 team: str = "") -> None: ...

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str,
                 team: str = "") -> None: ...

    def reason(self, surface: str, reason: Reason, question: str, contacts: Sequence[str], user: str,
               team: str = "") -> None: ...


class NullRecorder:
    """Records nothing."""

    def answered(self, surface: str, question: str, answer: Answer, user: str, reply: Callable[[], str],
                 team: str = "") -> None:
        pass

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str,
                 team: str = "") -> None:
        pass

    def reason(self, surface: str, reason: Reason, question: str, contacts: Sequence[str], user: str,
               team: str = "") -> None:
        pass
