"""Is a contact taking calls now (Japan time)? Weekdays exclude national holidays (jpholiday)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from bot.knowledge.model import Hours

JST = timezone(timedelta(hours=9), "JST")  # Japan has no daylight saving time


def now_in_japan() -> datetime:
    return datetime.now(JST)


@lru_cache(maxsize=64)  # the days around today: asked for every answer that shows a contact with opening hours
def _is_business_day(day: date) -> bool:
    import jpholiday  # loaded on first use: only answers that mention opening hours need it

    return day.weekday() < 5 and not jpholiday.is_holiday(day)


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), JST)


def next_opening(hours: Hours, now: datetime) -> datetime | None:
    """None if the contact is open at `now`; otherwise when it next opens."""
    now = now.astimezone(JST)
    today = now.date()
    if _is_business_day(today) and _at(today, hours.open) <= now < _at(today, hours.close):
        return None
    day = today if now < _at(today, hours.open) else today + timedelta(days=1)
    while not _is_business_day(day):
        day += timedelta(days=1)
    return _at(day, hours.open)
