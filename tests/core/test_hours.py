"""The hotline's hours: weekdays 9–17 Japan time, not on weekends or national holidays."""

from datetime import datetime

import pytest

from bot.core import answer as A
from bot.core.answer import ClosedNow
from bot.core.engine import Engine
from bot.core.hours import JST, next_opening
from bot.presenters.sentences import ENGLISH
from bot.presenters.wording import Wording
from tests.conftest import Chat


@pytest.fixture(scope="module")
def hotline_hours(knowledge):
    (hours,) = knowledge.hours
    return hours


@pytest.mark.parametrize(
    "now, opens",
    [
        (datetime(2026, 11, 26, 15, 0, tzinfo=JST), None),  # Thursday afternoon: open
        (datetime(2026, 11, 26, 8, 59, tzinfo=JST), datetime(2026, 11, 26, 9, 0, tzinfo=JST)),
        (datetime(2026, 11, 26, 17, 0, tzinfo=JST), datetime(2026, 11, 27, 9, 0, tzinfo=JST)),
        (datetime(2026, 11, 27, 18, 0, tzinfo=JST), datetime(2026, 11, 30, 9, 0, tzinfo=JST)),  # Friday evening → Monday
        (datetime(2026, 11, 23, 10, 0, tzinfo=JST), datetime(2026, 11, 24, 9, 0, tzinfo=JST)),  # 勤労感謝の日 (Monday)
        (datetime(2026, 9, 19, 12, 0, tzinfo=JST), datetime(2026, 9, 24, 9, 0, tzinfo=JST)),  # シルバーウィーク: 9/21–23
        (datetime(2026, 11, 26, 1, 0, tzinfo=None).replace(tzinfo=JST), datetime(2026, 11, 26, 9, 0, tzinfo=JST)),
    ],
)
def test_next_opening_skips_evenings_weekends_and_holidays(hotline_hours, now, opens):
    """Closed times give the next weekday that is not a national holiday, at 9:00."""
    assert next_opening(hotline_hours, now) == opens


def test_the_note_says_when_it_opens_with_the_hours_of_hours_toml_in_either_language(knowledge, hotline_hours):
    """Saturday → 「次の受付は 11月30日(月) 9時 からです。」; in English the hours come from text_en, not from the Japanese
    notes."""
    opens = next_opening(hotline_hours, datetime(2026, 11, 28, 10, 0, tzinfo=JST))
    closed = ClosedNow("hotline", hotline_hours.text, opens)
    assert Wording(knowledge).closed_text(closed) == \
        f"ただいま受付時間外です（{hotline_hours.text}）。次の受付は 11月30日(月) 9時 からです。"
    assert Wording(knowledge, ENGLISH).closed_text(closed) == \
        f"Closed now ({hotline_hours.text_en}). Opens Mon 11/30 at 9:00 (Japan time)."


def test_a_fallback_outside_hours_says_the_hotline_is_closed(knowledge, tokenizer, text_presenter):
    """The hotline given outside its hours comes with the note; inside its hours without."""
    closed = Chat(Engine(knowledge, tokenizer, clock=lambda: datetime(2026, 11, 28, 10, 0, tzinfo=JST)))
    opened = Chat(Engine(knowledge, tokenizer, clock=lambda: datetime(2026, 11, 26, 10, 0, tzinfo=JST)))
    answer = closed.reply("c", "ふがふが")
    assert answer.closed == (ClosedNow("hotline", "平日午前9時～午後5時", datetime(2026, 11, 30, 9, 0, tzinfo=JST)),)
    assert answer.kind == A.FALLBACK and "次の受付は 11月30日(月) 9時" in text_presenter.render(answer)
    assert "受付時間外" not in text_presenter.render(opened.reply("c", "ふがふが"))
    assert "受付時間外" in text_presenter.render(closed.reply("d", "ホットライン"))
