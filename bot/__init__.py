"""窓口ナビ (madoguchi): tells small businesses in Japan whom to call."""

__version__ = "0.1.0"

from bot import speedups

speedups.choose()  # before any module of the hot path is imported: compiled, or plain Python if edited since
