"""Curators in Slack, dispatched in-process against the fake Web API: the report and the audit with their files, the
workbook out (files_upload_v2) and back in (file_share, downloaded with the bot token), its problems or its changes
with 反映する / やめる, restoring; everyone else refused at each step; files too big or not workbooks said in one
message. The knowledge is a copy, the versions a real SQLite database."""

import csv
import io
import re
from datetime import datetime, timedelta, timezone
import shutil
import time

import pytest
from openpyxl import load_workbook

from bot.assembly import open_source
from bot.curation.curating import Curation
from bot.curation.records import open_recorder
from bot.runtime import build_runtime
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.curating import ACTION_APPLY, ACTION_DISCARD
from bot.slack.services import SlackServices
from tests.conftest import KNOWLEDGE_DIR
from tests.fakes.fake_slack import TEAM_ID
from tests.slack.conftest import SECRET, TOKEN, DispatchedBot, all_text, dm
from tests.test_staff_guide import SLACK_STEPS

CURATOR, OTHER = "UCURATOR1", "UOTHER1"
EXPORT_WORD, RESTORE_WORD = re.findall(r"「([^」]+)」と送ります", SLACK_STEPS)  # the staff guide's own steps


@pytest.fixture
def curated(slack, tmp_path, tmp_path_factory):
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    settings = Settings(bot_token=TOKEN, signing_secret=SECRET, api_url=slack.api_url, database=tmp_path / "r.sqlite3",
                        curators=(("", CURATOR),), admins=("UADMIN",))
    source = open_source(settings, folder)
    recorder = open_recorder(settings.records_target, b"k")
    runtime = build_runtime(folder, cache_dir=tmp_path_factory.getbasetemp() / "index-cache", recorder=recorder,
                            source=source)
    services = SlackServices(runtime, settings)
    services.curation = Curation(source, runtime)
    bot = DispatchedBot("in-process", slack, runtime, recorder, services)
    bot.app = build_app(settings, runtime, services=services)
    bot.folder = folder
    yield bot
    for pool in services.pools:
        pool.close()
        pool.drain(20)
    recorder.close()
    source.close()


def said(bot, user_text_channel="D1", count=1) -> list[str]:
    """The texts the bot posted in the DM (after the curation pool is done)."""
    assert bot.services.curating.drain(30) and bot.services.replies.drain(10)
    return [c.params.get("text", "") + "\n" + all_text(c.params.get("blocks") or [])
            for c in bot.slack.sent("chat.postMessage") if c.params.get("channel") == user_text_channel]


def send_file(bot, file: dict, user=CURATOR, text=""):
    return bot.event(dm(text, user=user, subtype="file_share", files=[file]))


def exported(bot) -> bytes:
    assert bot.event(dm(EXPORT_WORD, user=CURATOR))[0] == 200
    assert bot.services.curating.drain(30)
    (name, data, params), = [u for u in bot.slack.uploaded() if u[0].endswith(".xlsx")]
    assert params["channel_id"] == "D1" and "Excel で直して" in params["initial_comment"]
    return data


def edit(data: bytes, change) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(book, sheet: str, first: str):
    return next(r for r in book[sheet].iter_rows(min_row=2) if r[0].value == first)


def number(bot, cid: str) -> str:
    return next(c for c in bot.runtime.knowledge.contacts if c.id == cid).phones[0].number


def click(bot, action_id: str, version: str, user=CURATOR):
    return bot.click({"type": "button", "action_id": action_id, "block_id": "b", "value": version,
                      "action_ts": f"{time.time():.6f}"}, user=user)


def pending_version(bot) -> str:
    post = bot.slack.sent("chat.postMessage")[-1]
    (actions,) = [b for b in post.params["blocks"] if b["type"] == "actions"]
    assert [e["text"]["text"] for e in actions["elements"]] == ["反映する", "やめる"]
    return actions["elements"][0]["value"]


def responses(bot) -> list[dict]:
    assert bot.services.curating.drain(30)
    return [c.params for c in bot.slack.sent("response_url")]


def test_the_workbook_round_trip_corrects_a_number_and_adds_a_word(curated):
    bot = curated
    old = number(bot, "jetro-sendai")
    book = exported(bot)
    assert "jetro" in load_workbook(io.BytesIO(book)).sheetnames

    def change(b, phone_of_the_bad_row):
        row_of(b, "jetro", "jetro-sendai")[5].value = "022-000-2222"
        b["synonyms"].append(["襷渡し", "事業承継", ""])
        row_of(b, "jetro", "jetro-fukuoka")[5].value = phone_of_the_bad_row

    bad = edit(book, lambda b: change(b, "電話してね"))
    send_file(bot, bot.slack.host_file("窓口一覧.xlsx", bad))
    (problem,) = said(bot)
    assert "窓口一覧.xlsx" in problem and "jetro" in problem and "行目" in problem and "→" in problem
    assert "データは変えていません" in problem and number(bot, "jetro-sendai") == old
    assert all(c.params["authorized"] for c in bot.slack.sent("file_download"))  # fetched with the bot token

    fixed = edit(book, lambda b: change(b, number(bot, "jetro-fukuoka")))
    send_file(bot, bot.slack.host_file("窓口一覧.xlsx", fixed))
    changes = said(bot)[-1]
    assert "jetro-sendai の電話番号: " + old + " → 022-000-2222" in changes and "+ 襷渡し" in changes
    assert number(bot, "jetro-sendai") == old  # nothing applied before the click
    version = pending_version(bot)

    assert click(bot, ACTION_APPLY, version)[0] == 200
    (done,) = responses(bot)
    assert done["replace_original"] is True and f"<@{CURATOR}> さんが反映しました" in done["text"]
    assert number(bot, "jetro-sendai") == "022-000-2222"
    assert bot.runtime.ask("dm", "c1", "襷渡し 宮城", "U1").answer.kind == "contacts"
    row = bot.services.curation.versions.get(int(version))
    assert (row.state, row.proposed_by, row.decided_by) == ("applied", CURATOR, CURATOR) and row.decided_at
    assert "022-000-2222" in (bot.folder / "contacts" / "jetro.csv").read_text(encoding="utf-8-sig")  # folder mode

    assert click(bot, ACTION_APPLY, version)[0] == 200  # a second click: already done, nothing twice
    assert "すでに反映" in responses(bot)[-1]["text"]

    bot.event(dm(RESTORE_WORD, user=CURATOR))
    assert "の前に戻します" in said(bot)[-1]
    click(bot, ACTION_APPLY, pending_version(bot))
    assert "反映しました" in responses(bot)[-1]["text"] and number(bot, "jetro-sendai") == old

    bot.event(dm("履歴", user=CURATOR))  # who applied what and when, in Slack too
    listed = said(bot)[-1]
    assert f"*版 {int(version) + 1}*（反映）" in listed and f"*版 {version}*（反映）窓口一覧.xlsx" in listed
    assert f"<@{CURATOR}>" in listed and "日本時間" in listed


def test_a_non_curator_is_refused_at_every_step(curated):
    bot = curated
    book = exported(bot)
    for text in ("レポート", "データを書き出す", "点検", "元に戻す"):
        bot.event(dm(text, user=OTHER))
    send_file(bot, bot.slack.host_file("窓口一覧.xlsx", book), user=OTHER)
    texts = said(bot)
    assert len(texts) == 5 and all("担当者だけ" in t for t in texts)
    assert len(bot.slack.uploaded()) == 1 and not bot.slack.sent("file_download")  # only the curator's export

    changed = edit(book, lambda b: setattr(row_of(b, "jetro", "jetro-sendai")[5], "value", "022-000-3333"))
    send_file(bot, bot.slack.host_file("窓口一覧.xlsx", changed))
    version = pending_version(bot) if said(bot) else ""
    click(bot, ACTION_APPLY, version, user=OTHER)
    click(bot, ACTION_DISCARD, version, user=OTHER)
    refusals = responses(bot)
    assert len(refusals) == 2 and all("担当者だけ" in r["text"] and r["replace_original"] is False for r in refusals)
    assert bot.services.curation.versions.get(int(version)).state == "pending"

    status, _ = bot.command("report", user=OTHER)
    assert status == 200 and not bot.slack.sent("conversations.open")

    click(bot, ACTION_DISCARD, version)  # the curator's やめる
    assert "取りやめました" in responses(bot)[-1]["text"]
    assert bot.services.curation.versions.get(int(version)).state == "discarded"
    assert number(bot, "jetro-sendai") != "022-000-3333"


def test_an_admin_curates_when_no_curator_is_named():
    settings = Settings(admins=("UADMIN",))
    assert settings.is_curator("T1", "UADMIN") and not settings.is_curator("T1", "U2")
    per_workspace = Settings(curators=(("T1", "U9"), ("", "U8")), admins=("UADMIN",))
    assert per_workspace.is_curator("T1", "U9") and not per_workspace.is_curator("T2", "U9")
    assert per_workspace.is_curator("T2", "U8") and not per_workspace.is_curator("T1", "UADMIN")


@pytest.mark.parametrize("name, data, size, expected", [
    ("大きい.xlsx", b"PK", 30 * 1024 * 1024, "ファイルが大きすぎます"),  # said from the event: never fetched
    ("メモ.txt", b"hello", None, "Excel のブック（.xlsx）ではありません"),
    ("偽物.xlsx", b"this is not a zip", None, "Excel のブック（.xlsx）ではありません"),
], ids=["over the limit", "a text file", "not a zip"])
def test_a_file_that_is_not_a_usable_workbook_gets_one_clear_message(curated, name, data, size, expected):
    bot = curated
    send_file(bot, bot.slack.host_file(name, data, filetype=name.rsplit(".", 1)[1], size=size))
    (message,) = said(bot)
    assert expected in message and name in message
    if size:
        assert not bot.slack.sent("file_download")
    assert not bot.services.curation.versions.history()


def test_a_file_url_outside_slack_is_never_fetched(curated):
    bot = curated
    file = bot.slack.host_file("窓口一覧.xlsx", b"PK")
    file["url_private_download"] = "http://169.254.169.254/latest/meta-data/"
    send_file(bot, file)
    (message,) = said(bot)
    assert "受け取れませんでした" in message and not bot.slack.sent("file_download")


def test_a_check_made_before_another_change_cannot_be_applied_after_it(curated):
    bot = curated
    book = exported(bot)
    for phone in ("022-000-4444", "022-000-5555"):
        send_file(bot, bot.slack.host_file("窓口一覧.xlsx",
                                           edit(book, lambda b: setattr(row_of(b, "jetro", "jetro-sendai")[5], "value", phone))))
        said(bot)
    first, second = (str(v.id) for v in reversed(bot.services.curation.versions.history()))
    click(bot, ACTION_APPLY, second)
    click(bot, ACTION_APPLY, first)
    assert "ほかの変更が反映されました" in responses(bot)[-1]["text"]
    assert number(bot, "jetro-sendai") == "022-000-5555"


def test_the_report_arrives_with_its_csv_and_chart(curated):
    bot = curated
    for question in ("二重ローン 宮城", "ほげほげ", "=HYPERLINK(\"http://x\")"):
        bot.runtime.ask("dm", f"c-{question}", question, "U1", TEAM_ID)
    from bot.curation.recorder import Reason

    bot.recorder.feedback("dm", False, "ジェトロ仙台", "jetro-sendai", "U1", TEAM_ID)
    bot.recorder.reason("dm", Reason.UNREACHABLE, "ジェトロ仙台", ["jetro-sendai"], "U1", TEAM_ID)
    assert bot.recorder.flush()
    assert bot.event(dm("レポートをください", user=CURATOR))[0] == 200
    summary = said(bot)[-1]
    assert "窓口ナビ レポート" in summary and "*質問*\n3 件" in summary and "答えられなかった" in summary
    office = bot.runtime.knowledge.contact_by_id["jetro-sendai"]
    assert f"{office.name}（{office.phones[0].number}） 1 回" in summary and "番号がつながらない 1" in summary
    today = datetime.now(timezone(timedelta(hours=9))).strftime("%m/%d")
    assert f"`{today}` {'▇' * 20} 3" in summary  # the week's days in the message itself, today the busiest
    files = {name.rsplit(".", 1)[1]: data for name, data, _ in bot.slack.uploaded()}
    assert files["csv"].startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert rows[0] == ["区分", "項目", "件数", "詳細"] and ["回答の種類", "窓口を案内", "1", ""] in rows
    assert all(not cell.startswith("=") for row in rows for cell in row)  # formula-safe
    svg = files["svg"].decode("utf-8")
    assert svg.startswith("<?xml") and "日ごとの質問" in svg and svg.count("<rect") >= 3

    status, body = bot.command("report", user=CURATOR)  # /madoguchi report: the same, in the curator's DM
    assert status == 200 and "DM" in body
    assert bot.services.curating.drain(30)
    assert bot.slack.sent("conversations.open")[0].params["users"] == CURATOR
    assert any(c.params.get("channel") == "D" + CURATOR for c in bot.slack.sent("chat.postMessage"))


def test_the_audit_arrives_with_its_csv(curated):
    bot = curated
    bot.event(dm("点検", user=CURATOR))
    assert "知識の点検" in said(bot)[-1]
    (name, data, _), = bot.slack.uploaded()
    assert name == "madoguchi-audit.csv" and data.startswith(b"\xef\xbb\xbf") and "点数" in data.decode("utf-8-sig")


def test_a_question_that_mentions_a_command_word_stays_a_question(curated):
    bot = curated
    bot.event(dm("レポートの書き方を相談したい 宮城", user=CURATOR))
    assert bot.services.workers.drain(20)
    assert not bot.slack.uploaded() and bot.slack.sent("chat.postMessage")


def test_slack_refusing_the_upload_is_said_and_nothing_breaks(curated):
    bot = curated
    bot.slack.fault("files.getUploadURLExternal", "500")
    bot.event(dm(EXPORT_WORD, user=CURATOR))
    (message,) = said(bot)
    assert "files:write" in message and not bot.slack.uploaded()
    bot.slack.heal()
    bot.event(dm(EXPORT_WORD, user=CURATOR))
    assert bot.services.curating.drain(30) and len(bot.slack.uploaded()) == 1


def test_a_dm_that_cannot_be_opened_is_said_where_the_command_was_typed(curated):
    bot = curated
    bot.slack.fault("conversations.open", "500")
    assert bot.command("report", user=CURATOR)[0] == 200
    assert bot.services.curating.drain(30)
    assert any("im:write" in c.params.get("text", "") for c in bot.slack.sent("response_url"))


def test_a_file_slack_sends_as_a_stub_is_looked_up_first(curated):
    bot = curated
    file = bot.slack.host_file("窓口一覧.xlsx", b"not a workbook at all")
    bot.event(dm("", user=CURATOR, subtype="file_share", files=[{"id": file["id"], "file_access": "check_file_info"}]))
    (message,) = said(bot)
    assert bot.slack.sent("files.info") and "窓口一覧.xlsx" in message and "ではありません" in message


def test_a_long_list_of_changes_fits_slack_and_says_how_many_more(curated):
    bot = curated
    book = exported(bot)

    def many(b):
        for n in range(300):
            b["synonyms"].append([f"言いかえ{n:03d}" + "あ" * 40, "事業承継", ""])

    send_file(bot, bot.slack.host_file("窓口一覧.xlsx", edit(book, many)))
    message = said(bot)[-1]
    assert "…ほか" in message and "行" in message and message.count("```") == 2
    pending_version(bot)  # the buttons are there; the fake checked the blocks as Slack does


def test_the_home_tab_tells_a_curator_what_the_dm_does_and_nobody_else(curated):
    bot = curated
    for user in (CURATOR, OTHER):
        bot.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home", "event_ts": f"{time.time():.6f}"})
    assert bot.services.replies.drain(20)
    views = {c.params["user_id"]: all_text(c.params["view"]["blocks"]) for c in bot.slack.sent("views.publish")}
    assert "担当者の方へ" in views[CURATOR] and "「データを書き出す」" in views[CURATOR]
    assert "担当者の方へ" not in views[OTHER]
    from bot.curation.requests import curator_request
    from bot.presenters.curation import home_note

    words = re.findall(r"• 「([^」]+)」", home_note(0))
    assert len(words) == 5 and all(curator_request(w, bot.runtime.knowledge.vocabulary) for w in words)


def test_the_versions_database_away_is_said_in_japanese_and_answers_go_on(curated):
    bot = curated
    book = edit(exported(bot), lambda b: setattr(row_of(b, "jetro", "jetro-sendai")[5], "value", "022-000-6666"))
    bot.services.curation.versions.engine.dispose()
    for wal in bot.folder.parent.glob("r.sqlite3-*"):
        wal.unlink()
    (bot.folder.parent / "r.sqlite3").unlink()
    (bot.folder.parent / "r.sqlite3").mkdir()  # a directory where the database was: every statement fails
    send_file(bot, bot.slack.host_file("窓口一覧.xlsx", book))
    (message,) = said(bot)
    assert "データベースが使えません" in message
    assert bot.runtime.ask("dm", "c9", "ジェトロ仙台", "U1").answer.kind == "contacts"


def test_a_workbook_exported_before_another_change_is_flagged(curated):
    bot = curated
    old_book = exported(bot)
    send_file(bot, bot.slack.host_file("a.xlsx", edit(old_book, lambda b: setattr(
        row_of(b, "jetro", "jetro-sendai")[5], "value", "022-000-1313"))))
    said(bot)
    click(bot, ACTION_APPLY, pending_version(bot))
    assert "反映しました" in responses(bot)[-1]["text"]
    send_file(bot, bot.slack.host_file("b.xlsx", edit(old_book, lambda b: setattr(
        row_of(b, "jetro", "jetro-fukuoka")[5], "value", "092-000-1414"))))
    message = said(bot)[-1]
    assert "版 0 のときに書き出したもの" in message and "版 1 までの変更" in message
    assert "022-000-1313 → " in message  # the list shows that it would take the other change back


def test_someone_else_s_question_with_a_table_attached_is_answered_as_a_question(curated):
    bot = curated
    book = exported(bot)
    bot.event(dm("この表のジェトロ仙台の番号を教えて", user=OTHER, subtype="file_share",
                 files=[bot.slack.host_file("表.xlsx", book)]))
    assert bot.services.workers.drain(20)
    (answer,) = [c for c in bot.slack.sent("chat.postMessage") if c.params.get("channel") == "D1"]
    assert number(bot, "jetro-sendai") in answer.params["text"] and not bot.slack.sent("file_download")


def test_curators_of_an_org_wide_install_are_named_by_workspace_or_by_organization():
    """The workspace key of an org-wide install is E…/T… (bot.slack.keys): a curator named for T9 curates there only, one
    named for the organization E1 in each of its workspaces."""
    services = SlackServices(runtime=None, settings=Settings(curators=(("T9", "U1"), ("E1", "U2"))))
    assert services.is_curator("E1/T9", "U1") and not services.is_curator("E1/T8", "U1")
    assert services.is_curator("E1/T8", "U2") and services.is_curator("E1/T9", "U2")
    assert not services.is_curator("E2/T9", "U2") and services.is_curator("T9", "U1")


def test_a_file_slack_will_not_give_is_said_with_the_reason(curated):
    """Without files:read Slack answers its sign-in page (HTML), not the workbook: said, never read as a workbook."""
    bot = curated
    bot.slack.files_readable = False
    send_file(bot, bot.slack.host_file("窓口一覧.xlsx", exported(bot)))
    message = said(bot)[-1]
    assert "files:read" in message and not bot.services.curation.versions.history()
