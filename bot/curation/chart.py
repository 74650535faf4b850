"""A small picture for the curators' report: questions per day and per topic as two bar charts in one SVG.

Plain SVG, written here: no plotting library and no font to ship (matplotlib with a Japanese font is ~60 MB for two
bar charts); the viewer's own Japanese font draws the labels (Slack opens the file in the browser). Every text is
escaped: topic names are staff's data."""

from __future__ import annotations

from datetime import date, timedelta
from xml.sax.saxutils import escape

FONT = "'Hiragino Sans', 'Yu Gothic', 'Noto Sans CJK JP', 'Noto Sans JP', Meiryo, sans-serif"
WIDTH, BAR, GAP, LABEL, TOP_TOPICS = 640, 18, 6, 210, 10


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def report_chart(by_day: dict[str, int], by_topic: list[tuple[str, int]], title: str, day_title: str,
                 topic_title: str, none: str) -> str:
    """by_day: Japan date (YYYY-MM-DD) → questions, every day of the period (0s included); by_topic: (label, count),
    most first. The titles and the 'no data' word are the presenter's."""
    parts: list[str] = []
    y = 36
    parts.append(f'<text x="16" y="24" font-size="16" font-weight="bold">{escape(title)}</text>')
    for heading, rows in ((day_title, [(d[5:].replace("-", "/"), n) for d, n in by_day.items()]),
                          (topic_title, by_topic[:TOP_TOPICS])):
        y += 22
        parts.append(f'<text x="16" y="{y}" font-size="14" font-weight="bold">{escape(heading)}</text>')
        y += 8
        if not rows:
            y += 20
            parts.append(f'<text x="24" y="{y}" font-size="13" fill="#666">{escape(none)}</text>')
            continue
        most = max(n for _, n in rows) or 1
        for label, n in rows:
            width = round((WIDTH - LABEL - 70) * n / most)
            parts.append(f'<text x="{LABEL - 8}" y="{y + BAR - 4}" font-size="12" text-anchor="end">'
                         f'{escape(_short(label))}</text>')
            parts.append(f'<rect x="{LABEL}" y="{y}" width="{max(width, 1)}" height="{BAR}" fill="#1264a3"/>')
            parts.append(f'<text x="{LABEL + width + 6}" y="{y + BAR - 4}" font-size="12">{n}</text>')
            y += BAR + GAP
    height = y + 16
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
            f'height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{escape(FONT)}">\n'
            f'<rect width="100%" height="100%" fill="#fff"/>\n' + "\n".join(parts) + "\n</svg>\n")


def _short(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
