"""窓口ナビ (madoguchi): tells small businesses in Japan whom to call."""

__version__ = "0.1.0"
