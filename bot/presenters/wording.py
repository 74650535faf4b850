"""The Japanese sentences of a reply, shared by the plain-text and Block Kit presenters.

Polite です・ます, the answer first, numbers exactly as printed in the source.
"""

from __future__ import annotations

from bot.core import answer as A
from bot.core.answer import MAX_NUMBERED_CHOICES, MAX_QUESTION_CHARS, Answer, Ask, ClosedNow, Gap, Jurisdiction, Renamed
from bot.core.domain import ChoiceKind
from bot.knowledge.model import Contact, Knowledge, Phone, Reach

APOLOGY = "申し訳ありません。お答えする途中でエラーが起きました。少し時間をおいて、もう一度お試しください。"
BUSY = "ただいま混み合っています。少し時間をおいて、もう一度お試しください。"
FOLLOW_UPS = "答えのあとに「福島は？」「特許は？」「ほかには？」と続けて聞くこともできます。"
TRUNCATED_NOTE = f"（ご質問が長いため、最初の{MAX_QUESTION_CHARS}文字までを読んでお答えしています。）"
WEEKDAY_NAMES = "月火水木金土日"
ASK = {
    Ask.PREFECTURE: "どちらの都道府県ですか？",
    Ask.PREFECTURE_OR_AREA: "どちらの都道府県ですか？（地方名でもかまいません）",
    Ask.PREFECTURE_IN_REGION: "{place}のどちらの都道府県ですか？",
    Ask.CATEGORY: "{place}のどの窓口をお探しですか？",
    Ask.TOPIC: "次のどのご相談に近いですか？",
}
GAP = {
    Gap.NO_MORE: "直前のお答えのほかに、お示しできる窓口はありません。",
    Gap.NAME_NOT_HERE: "{place}には、お尋ねの名前の窓口はこの一覧にありません。",
    Gap.REPRESENTATIVE: "代表番号はこの一覧に載っていません。",
    Gap.ADDRESS: "住所はこの一覧に載っていません。お電話でご確認ください。",
    Gap.URL: "ホームページ（URL）はこの一覧に載っていません。お電話でご確認ください。",
    Gap.NUMBERS: "{where} はこの一覧に載っていない番号です。",
    Gap.TOPIC_NOT_READ: "ご用件が読み取れませんでした。",
    Gap.PLACE_NOT_READ: "都道府県名が読み取れませんでした。",
    Gap.NO_REGIONAL_OFFICE: "{place}を担当する{subject}の窓口はこの一覧にありません。全国の窓口をご案内します。",
    Gap.NOT_IN_PREFECTURE: "{place}の{subject}はこの一覧にありません（掲載は{where}）。",
    Gap.NONE_HERE: "{place}の{subject}はこの一覧にありません。",
}
NEARBY = "同じ{region}地方の窓口をご案内します。"
MAX_PREFECTURES_NAMED = 8  # a longer list of prefectures that have an office is said as a count


def phone_text(phone: Phone) -> str:
    """022-722-3858 / 011-709-2311（代表） / 事業資金相談ダイヤル 0120-154-505（フリーダイヤル）."""
    text = f"{phone.label} {phone.number}" if phone.label else phone.number
    kind = phone.describe()
    return f"{text}（{kind}）" if kind else text


def phones_text(contact: Contact) -> str:
    return " / ".join(phone_text(p) for p in contact.phones)


def topic_text(labels: tuple[str, ...]) -> str:
    """Several topics joined with 、 (their own labels already use ・: 融資・資金繰り)."""
    return "、".join(labels)


def jurisdiction_text(reason: Jurisdiction) -> str:
    """宮城県は東北経済産業局の管轄です。 / 仙台市（宮城県）は… / 福井県・滋賀県は…"""
    who = f"{reason.city}（{reason.prefectures[0]}）" if reason.city else "・".join(reason.prefectures)
    return f"{who}は{reason.area_name}の{reason.area_word}です。"


def renamed_text(renamed: Renamed) -> str:
    if renamed.renamed_in:
        return f"「{renamed.official}」は{renamed.renamed_in}から「{renamed.renamed_to}」になっています。"
    return f"「{renamed.official}」は現在「{renamed.renamed_to}」です。"


def closed_text(closed: ClosedNow | None) -> str:
    """'' when open; else that it is closed now and when it opens (Japan time)."""
    if closed is None:
        return ""
    opens = closed.opens
    when = f"{opens.month}月{opens.day}日({WEEKDAY_NAMES[opens.weekday()]}) {opens.hour}時"
    if opens.minute:
        when += f"{opens.minute}分"
    return f"ただいま受付時間外です（{closed.hours}）。次の受付は {when} からです。"


def missing_text(answer: Answer) -> str:
    """What the list does not have, in one or two sentences ('' when nothing is missing)."""
    m = answer.missing
    if m is None:
        return ""
    where = m.where
    if m.gap == Gap.NOT_IN_PREFECTURE:
        where_text = "・".join(where) if len(where) <= MAX_PREFECTURES_NAMED else f"{len(where)}都道府県"
    else:
        where_text = "、".join(where)
    text = GAP[m.gap].format(place=answer.place.label, subject=topic_text(m.subject) or "お尋ねの窓口", where=where_text)
    return text + NEARBY.format(region=m.region) if m.region else text


def ask_text(answer: Answer) -> str:
    return ASK[answer.asks].format(place=answer.place.label) if answer.asks else ""


class Wording:
    """Builds the sentences of each kind of answer from the facts in an Answer (Japanese; bot.presenters.english
    is the same for a question asked in English)."""

    UI = {"asked": "ご質問", "header": "お問い合わせ先", "more": "ほかの{n}件を見る", "share": "チャンネルに共有",
          "good": "役に立った", "bad": "違う", "select": "選んでください", "type_place": "都道府県名を書いて答えることもできます。",
          "phone": "電話 "}
    closed_text = staticmethod(closed_text)

    LANGUAGE = "ja"
    ADDED = "{names}は担当者が追加した窓口です（資料にはありません）。"
    LIST_SEPARATOR = "、"

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self._source_line = self.source_line()  # depends only on the knowledge: made once

    def header(self, answer: Answer) -> str:
        """The heading of a Block Kit answer: the topic and the place, or whose number."""
        if answer.kind == A.REVERSE:
            return f"{answer.number} の番号の持ち主" if answer.number else "お尋ねの番号の持ち主"
        header = topic_text(answer.topic) or self.UI["header"]
        return f"{header}（{answer.place.label}）" if answer.place.label and not answer.nearby else header

    def choice_label(self, choice) -> str:
        return choice.label

    # -- where it comes from --------------------------------------------------
    def source_lines(self, contacts=()) -> list[str]:
        """The footer: the source line, and which of these offices staff added themselves (no source line)."""
        added = [c.name for c in contacts if c.source_line is None]
        if not added:
            return [self._source_line]
        return [self._source_line, self.ADDED.format(names=self.LIST_SEPARATOR.join(added))]

    def source_line(self) -> str:
        """The document the answers come from (source.toml), its date and last review; numbers may have changed."""
        source = self.knowledge.source
        if source.title:
            when = [x for x in (source.as_of.split("（")[0].strip(), f"{source.reviewed} 確認" if source.reviewed else "") if x]
            origin = f"{source.publisher}「{source.title}」" + (f"（{'、'.join(when)}）" if when else "")
        else:
            origin = "窓口ナビの知識ファイル"
        return f"{origin}に基づく情報です。番号が変わっている場合があります。"

    # -- contacts ------------------------------------------------------------
    def title(self, contact: Contact, with_table: bool = False) -> str:
        """The office's name; with the table it comes from when the same name is listed twice in one answer."""
        if with_table:
            return f"{contact.name}（{self.knowledge.category_by_id[contact.category].label}）"
        return contact.name

    @staticmethod
    def repeated(contacts) -> frozenset[str]:
        """Ids of contacts whose name another of these contacts has too, spaces aside (one office printed in two
        tables, 商工労働部経営支援課 / 商工労働部 経営支援課): their titles say which table."""
        if len(contacts) < 2:
            return frozenset()
        names = [c.name.replace(" ", "") for c in contacts]
        return frozenset(c.id for c, n in zip(contacts, names) if names.count(n) > 1)

    def details(self, contact: Contact, show_place: bool = False, closed: str = "") -> list[str]:
        """Lines under a contact's name: phone, operator, place, URL, notes, closed-now note."""
        k = self.knowledge
        lines = []
        if contact.phones:
            lines.append(f"電話 {phones_text(contact)}")
        else:
            lines.append("電話番号はこの一覧に載っていません。")
        if contact.operator:
            lines.append(f"{k.category_by_id[contact.category].operator_label}: {contact.operator}")
        if show_place:
            pref = k.prefecture_of(contact)
            if pref:
                lines.append(f"所在: {k.prefecture_by_short[pref].name}")
        if contact.url:
            lines.append(contact.url)
        if contact.notes:
            lines.append(contact.notes)
        if contact.inherited_phones:
            lines.append("（電話番号は原資料で上の行と共通に記載されています。）")
        if closed:
            lines.append(closed)
        return lines

    def lead(self, answer: Answer) -> str:
        """The first sentence: the answer itself."""
        contacts = answer.contacts
        if answer.kind == A.REVERSE:
            if not answer.number:  # several numbers asked about: each office below shows its own
                return f"お尋ねの番号は、次の{len(contacts)}件の窓口のものです。"
            names = "、".join(c.name for c in contacts)
            return f"{answer.number} は「{names}」の番号です。"
        if answer.nearby:
            return missing_text(answer)
        if answer.named or not answer.topic:
            if len(contacts) == 1 and contacts[0].phones:
                return f"{contacts[0].name}の電話番号は {phone_text(contacts[0].phones[0])} です。"
            if len(contacts) == 1:
                return f"{contacts[0].name}のお問い合わせ先です。"
            return f"お問い合わせ先は次の{len(contacts)}件です。"
        local = any(self.knowledge.prefecture_of(c) or c.serves.kind == Reach.AREA for c in contacts)
        label = answer.place.label
        # a chosen office area (「中小機構 中部本部の…」) is left out when every office's own name says it already
        repeated = answer.place.area_name and all(c.name.startswith(label) for c in contacts)
        where = f"{label}の" if label and local and not repeated else ""
        topic = topic_text(answer.topic)
        if len(contacts) == 1:
            return f"{where}{topic}のお問い合わせ先は、{contacts[0].name}です。"
        return f"{where}{topic}のお問い合わせ先は次の{len(contacts)}件です。"

    def after_list(self, answer: Answer) -> list[str]:
        """Lines after the contacts: how many more, table notes, renamed bodies."""
        lines = []
        if answer.more:
            lines.append(self.more_line(answer))
        lines.extend(answer.notes)
        lines.extend(renamed_text(r) for r in answer.renamed)
        return lines

    def more_line(self, answer: Answer) -> str:
        if answer.place.prefecture_names:
            return f"ほかに{answer.more}件あります。「ほかには？」で続きを、課や窓口の名前を添えると絞り込んでお答えします。"
        return f"ほかに{answer.more}件あります。「ほかには？」で続きを、都道府県名や窓口の名前を添えると絞り込んでお答えします。"

    def opening(self, answer: Answer) -> list[str]:
        """The first lines: a missing office is said before what we have instead, then the answer."""
        lines = [missing_text(answer)] if answer.missing and not answer.nearby else []
        lines.append(self.lead(answer))
        return lines

    def before_list(self, answer: Answer) -> list[str]:
        """Lines between the lead and the contacts: jurisdiction, carried-over place, truncation."""
        lines = [jurisdiction_text(r) for r in answer.reasons]
        if answer.kind == A.CLARIFY and answer.missing:
            lines.insert(0, missing_text(answer))  # the reply to the last question was not understood
        for typed, meant in answer.corrections:
            lines.append(f"（「{typed}」を「{meant}」と読み替えてお答えしています。）")
        if answer.carried_place and answer.place.label:
            lines.append(f"（前のご質問から、{answer.place.label}についてお答えしています。）")
        if answer.truncated:
            lines.append(TRUNCATED_NOTE)
        return lines

    # -- clarify -------------------------------------------------------------
    def clarify(self, answer: Answer) -> str:
        if answer.topic:
            return f"{topic_text(answer.topic)}の窓口は地域ごとにあります。{ask_text(answer)}"
        return ask_text(answer)

    # how to answer a clarifying question: choices of topics, many places (no numbers), a few places
    CLARIFY_HINTS = ("番号か、相談したい内容（例:「事業承継」「二重ローン」）でお答えください。",
                     "都道府県名（「宮城」「仙台市」なども可）でお答えください。",
                     "番号か、都道府県名（「宮城」「仙台市」なども可）でお答えください。")

    def clarify_hint(self, answer: Answer) -> str:
        topics, many, few = self.CLARIFY_HINTS
        if answer.choices and answer.choices[0].kind == ChoiceKind.INTENT:
            return topics
        return many if len(answer.choices) > MAX_NUMBERED_CHOICES else few

    def national_line(self, contact: Contact) -> str:
        return f"全国組織の {contact.name}（電話 {phones_text(contact)}）もあります。"

    # -- fallback, small talk ------------------------------------------------
    def fallback(self, answer: Answer) -> list[str]:
        lines = []
        if answer.missing:
            lines.append(missing_text(answer))
        elif answer.kind == A.UNKNOWN_NUMBER:
            lines.append(f"{answer.number} はこの一覧に載っていない番号です。該当する窓口が見つかりませんでした。")
        else:
            lines.append("申し訳ありません。該当する窓口が見つかりませんでした。")
        if answer.hotline:
            lines.append(f"経営の相談は「{answer.hotline.organization}」{self.hotline_number(answer.hotline)}でも受け付けています。")
            closed = closed_text(answer.closed_for(answer.hotline.id))
            if closed:
                lines.append(closed)
        lines.append(self.hint(answer))
        return lines

    @staticmethod
    def hotline_number(hotline: Contact) -> str:
        """0570-009-111（ナビダイヤル、平日午前9時～午後5時）."""
        phone = hotline.phones[0]
        about = [phone.describe()] if phone.describe() else []
        first = hotline.notes.split("。")[0]
        if first.startswith("受付時間"):
            about.append(first.replace("受付時間", "").strip())
        return f"{phone.number}（{'、'.join(about)}）" if about else phone.number

    def hint(self, answer: Answer) -> str:
        if answer.place.label and not answer.missing:
            return f"{answer.place.label}の窓口なら、相談の内容（例:「事業承継」「特許」「組合」）を添えて聞いてください。"
        if answer.examples:
            return "「" + "」「".join(answer.examples[:2]) + "」のように、相談の内容と都道府県を書いてください。"
        return "相談の内容と都道府県を書いてください。"

    def greeting(self, answer: Answer) -> list[str]:
        return ["窓口ナビです。中小企業の相談先（窓口と電話番号）をお調べします。",
                self.hint(answer)]

    def thanks(self, answer: Answer) -> list[str]:
        return ["どういたしまして。ほかの窓口もお気軽にお尋ねください。"]

    def help(self, answer: Answer) -> list[str]:
        lines = ["窓口ナビの使い方: 相談の内容と都道府県（市の名前でもかまいません）を書いてください。",
                 "電話番号を書くと、どこの番号かをお調べします。",
                 FOLLOW_UPS,
                 "お答えできる相談: " + "、".join(answer.topics) + "。"]
        if answer.examples:
            lines.append("例: 「" + "」「".join(answer.examples[:4]) + "」")
        return lines
