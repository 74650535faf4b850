"""Where an answer comes from: the source document and its date (source.toml), the offices staff added, and what
changed since (changes.toml), in the answer's language."""

from __future__ import annotations

from bot.knowledge.model import Change, Knowledge
from bot.presenters.sentences import JAPANESE, Sentences


class Provenance:
    def __init__(self, knowledge: Knowledge, sentences: Sentences = JAPANESE):
        self.knowledge, self.s, self.say = knowledge, sentences, sentences.say
        self._source_line = self.source_line()  # depends only on the knowledge: made once

    def source_lines(self, contacts=()) -> list[str]:
        """The footer: the source line, and which of these offices staff added themselves (no source line)."""
        added = [c.name for c in contacts if c.source_line is None]
        if not added:
            return [self._source_line]
        return [self._source_line, self.say["added"].format(names=self.say["added_names"].join(added))]

    def source_line(self) -> str:
        """The document the answers come from (source.toml), its date and last review; numbers may have changed."""
        source, say = self.knowledge.source, self.say
        if not source.title:
            return say["source"].format(origin=say["no_origin"])
        origin = say["origin"].format(publisher=source.publisher, title=source.title)
        date = (source.as_of_en if self.s.english_names else source.as_of).split("（")[0].strip()
        if self.s.english_names and (not date or any(ch >= "\u3000" for ch in date)):  # no English date given
            date = "undated"
        elif date and source.estimated:
            date = say["estimated"].format(date=date)  # 2012〜2013年ごろの資料と推定
        if date and source.reviewed:
            origin = say["origin_dated"].format(origin=origin, when=say["when"].format(date=date, reviewed=source.reviewed))
        elif date or source.reviewed:
            origin = say["origin_dated"].format(origin=origin, when=date or say["when_undated"].format(reviewed=source.reviewed))
        return say["source"].format(origin=origin)

    def change_text(self, change: Change) -> str:
        """What changed since the source, in one sentence, and who says so (changes.toml)."""
        if self.s.english_names:
            return self.say["change"].format(text=(change.text_en or change.text).rstrip("."),
                                             source=change.source_en or change.source)
        return self.say["change"].format(text=change.text.rstrip("。"), source=change.source)
