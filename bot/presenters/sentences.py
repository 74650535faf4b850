"""Every sentence of a reply, as a table per language (like Rasa's response templates): the presenters fill them
with the facts an Answer carries. Japanese: polite です・ます, the answer first. English: for a question asked in
English; office names, their numbers and notes stay as printed in the source.

A table lacks no key another has (tests/presenters check it); `{…}` are the facts filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.answer import MAX_QUESTION_CHARS
from bot.core.domain import Ask, Gap


@dataclass(frozen=True)
class Sentences:
    code: str  # "ja" or "en"
    ask: dict[Ask, str]
    gap: dict[Gap, str]
    say: dict[str, str]  # every other sentence and phrase, by what it says
    ui: dict[str, str]  # labels of buttons and menus (Block Kit)
    clarify_hints: tuple[str, str, str]  # how to answer: choices of topics, many places (not numbered), a few places
    help: tuple[str, ...]  # the lines of the help answer ({topics}, {examples})
    english_names: bool = False  # places by romaji, topics by their label_en; else as the knowledge writes them
    area_in_lead: bool = True  # 「中小機構 中部本部の…」: a chosen office area may name where, in the first sentence
    phone_kinds: dict[str, str] = field(default_factory=dict)  # 代表, フリーダイヤル … in this language
    weekdays: str | tuple[str, ...] = "月火水木金土日"


JAPANESE = Sentences(
    code="ja",
    ask={
        Ask.PREFECTURE: "どちらの都道府県ですか？",
        Ask.PREFECTURE_OR_AREA: "どちらの都道府県ですか？（地方名でもかまいません）",
        Ask.PREFECTURE_IN_REGION: "{place}のどちらの都道府県ですか？",
        Ask.CATEGORY: "{place}のどの窓口をお探しですか？",
        Ask.TOPIC: "次のどのご相談に近いですか？",
        Ask.PREFECTURE_OF_NAME: "「{name}」はいくつかの都道府県にあります。どちらの都道府県ですか？",
    },
    gap={
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
        Gap.PLACE_UNKNOWN: "「{subject}」がどちらの都道府県か分かりませんでした。",
        Gap.OUT_OF_SCOPE: "「{subject}」は、この一覧（中小企業の事業の相談窓口）で扱っている相談ではありません。",
        Gap.PERSONAL: "個人のお金（{subject}）の相談窓口は、この一覧（中小企業の事業の相談窓口）にはありません。",
    },
    say={
        # names and lists
        "list": "、", "places": "・", "where_places": "・", "topics": "、", "topic_list": "、", "about": "、",
        "added_names": "、",
        "region": "{name}地方", "city_in_prefecture": "{city}（{prefecture}）", "with_table": "{name}（{table}）",
        "with_place": "{header}（{place}）", "some_office": "お尋ねの窓口", "no_place": "",
        "prefectures_count": "{n}都道府県",
        # phone numbers
        "phone_kind": "{phone}（{kind}）", "number_about": "{number}（{about}）",
        # the first sentence
        "reverse_header": "{number} の番号の持ち主", "reverse_header_many": "お尋ねの番号の持ち主",
        "header": "お問い合わせ先",
        "reverse_many": "お尋ねの番号は、次の{n}件の窓口のものです。", "reverse": "{number} は「{names}」の番号です。",
        "named_phone": "{name}の電話番号は {phone} です。", "named_one": "{name}のお問い合わせ先です。",
        "named_many": "お問い合わせ先は次の{n}件です。",
        "where": "{place}の", "topic_one": "{where}{topic}のお問い合わせ先は、{name}です。",
        "topic_many": "{where}{topic}のお問い合わせ先は次の{n}件です。",
        # around the list
        "jurisdiction": "{who}は{area}の{word}です。", "jurisdiction_city": "{city}（{prefecture}）",
        "slip": "（「{typed}」を「{meant}」と読み替えてお答えしています。）",
        "carried": "（前のご質問から、{place}についてお答えしています。）",
        "forgot": "（このスレッドの前のやりとりを思い出せなかったため、このメッセージだけからお答えしています。）",
        "nationwide_for_place": "全国の窓口です（{place}からもこちらへお問い合わせください）。",
        "nationwide_for_place_many": "全国の窓口です（{place}からもこちらへお問い合わせください）。",
        "truncated": f"（ご質問が長いため、最初の{MAX_QUESTION_CHARS}文字までを読んでお答えしています。）",
        "nearby": "{text}同じ{region}地方の窓口をご案内します。",
        "more_placed": "ほかに{n}件あります。「ほかには？」で続きを、課や窓口の名前を添えると絞り込んでお答えします。",
        "more": "ほかに{n}件あります。「ほかには？」で続きを、都道府県名や窓口の名前を添えると絞り込んでお答えします。",
        "change": "{text}（出典: {source}）。",
        "unlisted_instead": "この一覧で同じ相談ができる窓口をご案内します。",
        # an office
        "phone": "電話 {phones}", "no_phone": "電話番号はこの一覧に載っていません。", "operator": "{label}: {operator}",
        "located": "所在: {place}", "inherited": "（電話番号は原資料で上の行と共通に記載されています。）",
        "closed": "ただいま受付時間外です（{hours}）。次の受付は {when} からです。",
        "opens": "{month}月{day}日({weekday}) {hour}時{minutes}", "minutes": "{minute}分",
        # where it comes from
        "source": "{origin}に基づく情報です。番号が変わっている場合があります。", "origin": "{publisher}「{title}」",
        "origin_dated": "{origin}（{when}）", "when": "{date}、{reviewed} 確認", "when_undated": "{reviewed} 確認",
        "estimated": "{date}の資料と推定",
        "no_origin": "窓口ナビの知識ファイル", "added": "{names}は担当者が追加した窓口です（資料にはありません）。",
        # clarifying questions
        "clarify_topic": "{topic}の窓口は地域ごとにあります。{ask}",
        "national": "全国組織の {name}（電話 {phones}）もあります。",
        # not found, small talk
        "unknown_number": "{number} はこの一覧に載っていない番号です。該当する窓口が見つかりませんでした。",
        "not_found": "申し訳ありません。該当する窓口が見つかりませんでした。",
        "glossed": "{name}（{gloss}）",
        "covers": "この一覧でご案内できるのは、{topics}などの相談窓口です。",
        "hotline": "経営の相談は「{name}」{number}でも受け付けています。",
        "hint_place": "{place}の窓口なら、相談の内容（例:「事業承継」「特許」「組合」）を添えて聞いてください。",
        "hint_examples": "{examples}のように、相談の内容と都道府県を書いてください。", "example": "「{text}」",
        "hint": "相談の内容と都道府県を書いてください。",
        "greeting": "窓口ナビです。中小企業の相談先（窓口と電話番号）をお調べします。",
        "thanks": "どういたしまして。ほかの窓口もお気軽にお尋ねください。",
        "follow_ups": "答えのあとに「福島は？」「特許は？」「ほかには？」と続けて聞くこともできます。",
        "apology": "申し訳ありません。お答えする途中でエラーが起きました。少し時間をおいて、もう一度お試しください。",
        "busy": "ただいま混み合っています。少し時間をおいて、もう一度お試しください。",
    },
    ui={"asked": "ご質問", "header": "お問い合わせ先", "more": "ほかの{n}件を見る", "share": "チャンネルに共有",
        "good": "役に立った", "bad": "違う", "select": "選んでください", "type_place": "都道府県名を書いて答えることもできます。",
        "why_wrong": "ありがとうございます。担当者が確認して、案内を直します。よろしければ、どこが違ったかを選んでください。",
        "unreachable": "番号がつながらない", "wrong_office": "窓口が違う", "other": "その他",
        "reason_thanks": "ありがとうございます。「{reason}」として担当者に伝えます。",
        "phone": "電話 "},
    clarify_hints=("番号か、相談したい内容（例:「事業承継」「二重ローン」）でお答えください。",
                   "都道府県名（「宮城」「仙台市」なども可）でお答えください。",
                   "番号か、都道府県名（「宮城」「仙台市」なども可）でお答えください。"),
    help=("窓口ナビの使い方: 相談の内容と都道府県（市の名前でもかまいません）を書いてください。",
          "電話番号を書くと、どこの番号かをお調べします。",
          "{follow_ups}",
          "お答えできる相談: {topics}。",
          "例: {examples}"),
)

ENGLISH = Sentences(
    code="en",
    english_names=True,
    area_in_lead=False,
    ask={
        Ask.PREFECTURE: "Which prefecture are you in?",
        Ask.PREFECTURE_OR_AREA: "Which prefecture are you in? (A region is fine too.)",
        Ask.PREFECTURE_IN_REGION: "Which prefecture of {place}?",
        Ask.CATEGORY: "Which kind of office in {place} are you looking for?",
        Ask.TOPIC: "Which of these is closest to what you need?",
        Ask.PREFECTURE_OF_NAME: "Several prefectures have a place called 「{name}」. Which prefecture?",
    },
    gap={
        Gap.NO_MORE: "There are no other offices to show besides the previous answer.",
        Gap.NAME_NOT_HERE: "The list has no office of that name in {place}.",
        Gap.REPRESENTATIVE: "The list has no main number for it.",
        Gap.ADDRESS: "The list has no addresses; please ask by phone.",
        Gap.URL: "The list has no website for it; please ask by phone.",
        Gap.NUMBERS: "{where} is not a number in this list.",
        Gap.TOPIC_NOT_READ: "Sorry, I could not tell what you need.",
        Gap.PLACE_NOT_READ: "Sorry, I could not tell which prefecture.",
        Gap.NO_REGIONAL_OFFICE: "The list has no {subject} office for {place}; here is the nationwide one.",
        Gap.NOT_IN_PREFECTURE: "The list has no {subject} in {place} (it has them in {where}).",
        Gap.NONE_HERE: "The list has no {subject} for {place}.",
        Gap.PLACE_UNKNOWN: "I could not tell which prefecture 「{subject}」 is in.",
        Gap.OUT_OF_SCOPE: "「{subject}」 is not something this list of offices for small businesses covers.",
        Gap.PERSONAL: "This list of offices for small businesses has none for personal money matters ({subject}).",
    },
    say={
        "list": ", ", "places": " and ", "where_places": ", ", "topics": ", ", "topic_list": "; ", "about": "; ",
        "added_names": ", ",
        "region": "the {name} region", "city_in_prefecture": "{city} ({prefecture})", "with_table": "{name} ({table})",
        "with_place": "{header} ({place})", "some_office": "office", "no_place": "your area",
        "prefectures_count": "{n} prefectures",
        "phone_kind": "{phone} ({kind})", "number_about": "{number} ({about})",
        "reverse_header": "Whose number is {number}", "reverse_header_many": "Whose numbers these are",
        "header": "Whom to call",
        "reverse_many": "The numbers you asked about belong to these {n} offices.",
        "reverse": "{number} is the number of {names}.",
        "named_phone": "The number of {name} is {phone}.", "named_one": "Here is whom to contact: {name}.",
        "named_many": "Here are {n} offices to contact.",
        "where": " in {place}", "topic_one": "For {topic}{where}, contact {name}.",
        "topic_many": "For {topic}{where}, here are {n} offices to contact.",
        "jurisdiction": "{who} is covered by {area}.", "jurisdiction_city": "{city}",
        "slip": "(I read \"{typed}\" as \"{meant}\".)",
        "carried": "(Answering for {place}, from your earlier question.)",
        "forgot": "(I could not recall this thread's earlier messages, so I answered from this one alone.)",
        "nationwide_for_place": "This office serves the whole country, {place} included.",
        "nationwide_for_place_many": "These offices serve the whole country, {place} included.",
        "truncated": f"(Your question is long: I read its first {MAX_QUESTION_CHARS} characters.)",
        "nearby": "{text} Here are offices in the same region ({region_name}).",
        "more_placed": "There are {n} more. Ask \"any others?\" to see them, or add a prefecture or an office name to "
                       "narrow down.",
        "more": "There are {n} more. Ask \"any others?\" to see them, or add a prefecture or an office name to narrow "
                "down.",
        "change": "{text} (source: {source}).",
        "unlisted_instead": "Here is what the list has for the same need.",
        "phone": "Phone: {phones}", "no_phone": "The list has no phone number for it.", "operator": "Run by: {operator}",
        "located": "In: {place}", "inherited": "(The source prints this number together with the row above.)",
        "closed": "Closed now ({hours}). Opens {when} (Japan time).",
        "opens": "{weekday} {month}/{day} at {hour}:{minute:02d}", "minutes": "",
        "source": "Based on {origin}. Numbers may have changed.", "origin": "{publisher}「{title}」",
        "origin_dated": "{origin} ({when})", "when": "{date}, checked {reviewed}", "when_undated": "checked {reviewed}",
        "estimated": "{date}, estimated",
        "no_origin": "madoguchi's knowledge files", "added": "{names}: added by our staff (not in the source).",
        "clarify_topic": "Offices for {topic} are by region. {ask}",
        "national": "There is also the nationwide {name} (phone {phones}).",
        "unknown_number": "{number} is not a number in this list, so I could not find its office.",
        "not_found": "Sorry, I could not find an office for that.",
        "glossed": "{name} ({gloss})",
        "covers": "It covers {topics} and more.",
        "hotline": "For any business question you can also call 「{name}」 at {number}.",
        "hint_place": "For offices in {place}, add what you need (e.g. \"business succession\", \"patents\").",
        "hint_examples": "", "example": "",  # the examples are Japanese questions: not offered in English
        "hint": "Tell me what you need and where, e.g. \"business succession in Miyagi\" or \"JETRO Fukuoka\".",
        "greeting": "Hello, this is madoguchi. I find whom small businesses in Japan should call (offices and numbers).",
        "thanks": "You're welcome. Ask any time about other offices.",
        "follow_ups": "After an answer you can go on: \"and Fukushima?\", \"any others?\".",
        "apology": "Sorry, something went wrong while answering. Please try again in a moment.",
        "busy": "I am very busy right now. Please try again in a moment.",
    },
    ui={"asked": "Your question", "header": "Whom to call", "more": "Show {n} more", "share": "Share in channel",
        "good": "Helpful", "bad": "Wrong", "select": "Choose", "type_place": "You can also type the prefecture.",
        "why_wrong": "Thank you. Our staff will check and correct it. If you like, tell us what was wrong.",
        "unreachable": "The number did not work", "wrong_office": "Wrong office", "other": "Something else",
        "reason_thanks": "Thank you. We will pass on \"{reason}\" to our staff.",
        "phone": "Phone: "},
    clarify_hints=("Answer with a number or what you need (e.g. \"business succession\", \"export\").",
                   "Answer with a prefecture or city (e.g. \"Miyagi\", \"Sendai\").",
                   "Answer with a number, or a prefecture or city (e.g. \"Miyagi\", \"Sendai\")."),
    help=("How to use madoguchi: write what you need and your prefecture (a city is fine).",
          "Send a phone number to find whose number it is.",
          "{follow_ups}",
          "I can help with: {topics}."),
    phone_kinds={"代表": "main", "直通": "direct", "フリーダイヤル": "toll-free", "ナビダイヤル": "Navi Dial", "携帯電話": "mobile"},
    weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
)

LANGUAGES = {s.code: s for s in (JAPANESE, ENGLISH)}
