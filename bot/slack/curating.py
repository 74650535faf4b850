"""The curators' work in Slack: the report, the workbook out and back in, the audit, restoring — in the curator's
DM, on a pool of its own (one at a time: a check copies the knowledge). The words are bot.presenters.curation's; what
happens to the knowledge is bot.curation.curating's.

A file sent to the bot is hostile until checked: only a curator's, its size from the event before anything is
fetched, fetched only from Slack's file host (or the Web API's, for the tests' fake) with the bot token, never
following a redirect, and read up to the size limit."""

from __future__ import annotations

import io
import logging
import tempfile
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from bot.curation.chart import days_between, report_chart
from bot.curation.requests import CuratorRequest
from bot.curation.versions import VersionsError
from bot.knowledge.workbook_import import MAX_WORKBOOK_BYTES, NOT_A_WORKBOOK, too_big
from bot.presenters import curation as say
from bot.slack.blocks import escape

log = logging.getLogger("madoguchi.curation")
ACTION_APPLY, ACTION_DISCARD = "madoguchi_apply", "madoguchi_discard"  # value: the version's id
SLACK_FILE_HOSTS = frozenset({"files.slack.com"})
WORKBOOK_TYPES = frozenset({"xlsx", "xlsm", "xls", "xlsb", "ods", "csv"})  # what a curator may mean as the workbook
REPORT_DAYS = 7


def looks_like_workbook(file: dict) -> bool:
    name = str(file.get("name") or "")
    return str(file.get("filetype") or "").lower() in WORKBOOK_TYPES or name.lower().endswith((".xlsx", ".xls", ".csv"))


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _failed(error: Exception, what: str) -> str:
    """What the curator is told when a step fails: the database's own Japanese message (it is away), else that
    something unexpected happened (logged with its traceback)."""
    if isinstance(error, VersionsError):
        log.warning("%s: %s", what, error.__cause__.__class__.__name__ if error.__cause__ else error)
        return str(error)
    log.exception("%s failed", what)
    return say.FAILED


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a file is fetched from where Slack said, or not at all
        return None


class SlackCuration:
    """services: bot.slack.services.SlackServices (its curation, settings and pool)."""

    def __init__(self, services):
        self.services = services

    @property
    def curation(self):
        return self.services.curation

    # ------------------------------------------------------------------ sending
    def post(self, client, channel: str, thread_ts: str | None, text: str, blocks: list | None = None) -> None:
        self.services.post(client, log, channel, thread_ts, {"text": text, **({"blocks": blocks} if blocks else {})})

    def upload(self, client, channel: str, thread_ts: str | None, comment: str, files: list[dict]) -> None:
        """files: [{filename, title, content}], uploaded as Slack does it now (files.getUploadURLExternal, the upload,
        files.completeUploadExternal: slack_sdk's files_upload_v2)."""
        try:
            client.files_upload_v2(channel=channel, thread_ts=thread_ts, initial_comment=comment, file_uploads=files)
        except Exception as e:  # noqa: BLE001 - Slack refused or is away: the curator is told, nothing else breaks
            response = getattr(e, "response", None)
            log.error("upload to %s failed: %s", channel, response.get("error") if response is not None else type(e).__name__)
            self.post(client, channel, thread_ts, say.UPLOAD_FAILED)

    # ------------------------------------------------------------------ requests
    def run(self, request: CuratorRequest, client, channel: str, thread_ts: str | None, user: str, team: str) -> None:
        try:
            {CuratorRequest.REPORT: self.report, CuratorRequest.EXPORT: self.export, CuratorRequest.AUDIT: self.audit,
             CuratorRequest.RESTORE: self.restore, CuratorRequest.HISTORY: self.history}[request](
                client, channel, thread_ts, user, team)
        except Exception as e:
            self.post(client, channel, thread_ts, _failed(e, f"curator request {request}"))

    def report(self, client, channel, thread_ts, user, team) -> None:
        from datetime import datetime, timezone

        from bot.curation.report import JST, ReportError, build_report, office_names, write_csv

        target = self.services.settings.records_target
        if target is None:
            return self.post(client, channel, thread_ts, say.NO_DATABASE)
        now = datetime.now(timezone.utc)
        since = (now - timedelta(days=REPORT_DAYS - 1)).astimezone(JST).replace(hour=0, minute=0, second=0, microsecond=0)
        try:
            report = build_report(str(target), since, team=team or None)
        except ReportError as e:
            return self.post(client, channel, thread_ts, escape(str(e)))
        knowledge = self.services.runtime.knowledge
        labels = {c.id: c.label for c in knowledge.categories}
        offices = office_names(knowledge, report.unreachable)
        fields = [{"type": "mrkdwn", "text": escape(f)} for f in say.report_fields(report, labels, offices)]
        heading = say.report_heading(report)
        days = {d.isoformat(): report.by_day.get(d.isoformat(), 0) for d in days_between(since.date(), now.astimezone(JST).date())}
        blocks = [{"type": "header", "text": {"type": "plain_text", "text": heading[:150]}},
                  {"type": "section", "fields": fields[:10]}, _section(say.report_days(days)),
                  _section(escape(say.report_unanswered(report)))]
        self.post(client, channel, thread_ts, heading, blocks)
        csv_text = io.StringIO()
        write_csv(report, csv_text, labels, offices)
        chart = report_chart(days, [(labels.get(c, c), n) for c, n in report.by_category.most_common()],
                             say.REPORT_TITLE, say.REPORT_DAYS, say.REPORT_TOPICS, say.REPORT_NONE)
        stamp = now.astimezone(JST).strftime("%Y%m%d")
        self.upload(client, channel, thread_ts, say.REPORT_FILES, [
            {"filename": f"madoguchi-report-{stamp}.csv", "title": heading, "content": csv_text.getvalue().encode("utf-8")},
            {"filename": f"madoguchi-report-{stamp}.svg", "title": say.REPORT_TITLE, "content": chart.encode("utf-8")}])

    def export(self, client, channel, thread_ts, user, team) -> None:
        from bot.knowledge.spreadsheet import export_workbook

        if self.curation is None:
            return self.post(client, channel, thread_ts, say.NO_DATABASE)
        self.curation.current()
        data = io.BytesIO()
        export_workbook(self.curation.source.root, data, self.curation.source.version)
        self.upload(client, channel, thread_ts, say.export_note(len(self.services.runtime.knowledge.contacts),
                                                                self.curation.source.version),
                    [{"filename": f"madoguchi-knowledge-v{self.curation.source.version}.xlsx", "title": say.EXPORT_TITLE,
                      "content": data.getvalue()}])

    def audit(self, client, channel, thread_ts, user, team) -> None:
        from bot.curation.audit import audit, print_audit, write_audit_csv
        from bot.curation.report import reason_counts

        knowledge = self.services.runtime.knowledge
        target = self.services.settings.records_target
        result = audit(knowledge, reason_counts(str(target), team=team or None)[1] if target else {})
        text, table = io.StringIO(), io.StringIO()
        print_audit(result, knowledge, text, top=15)
        write_audit_csv(result, knowledge, table)
        self.post(client, channel, thread_ts, say.AUDIT_TITLE, [_section(f"```{escape(text.getvalue())[:2900]}```")])
        self.upload(client, channel, thread_ts, say.AUDIT_FILES, [
            {"filename": "madoguchi-audit.csv", "title": say.AUDIT_TITLE, "content": table.getvalue().encode("utf-8")}])

    def restore(self, client, channel, thread_ts, user, team) -> None:
        if self.curation is None:
            return self.post(client, channel, thread_ts, say.NO_DATABASE)
        proposal = self.curation.restore(user, team)
        if proposal.problems:
            return self.post(client, channel, thread_ts, escape(proposal.problems[0]))
        if not proposal.version:
            return self.post(client, channel, thread_ts, say.NOTHING_TO_RESTORE)
        last = self.curation.versions.get(proposal.restores)
        self._propose(client, channel, thread_ts, say.restore_title(replace(last, name=escape(last.name))), proposal)

    def history(self, client, channel, thread_ts, user, team) -> None:
        if self.curation is None:
            return self.post(client, channel, thread_ts, say.NO_DATABASE)
        versions = [replace(v, name=escape(v.name), summary=escape(v.summary)) for v in self.curation.versions.history(10)]
        self.post(client, channel, thread_ts, say.HISTORY_TITLE, [_section(say.history(versions))])

    # ------------------------------------------------------------------ the workbook sent back
    def workbook(self, client, channel: str, thread_ts: str | None, file: dict, user: str, team: str) -> None:
        try:
            if file.get("file_access") == "check_file_info" and file.get("id"):  # Slack sent only a stub: ask for the rest
                file = client.files_info(file=file["id"]).get("file") or file
            name = str(file.get("name") or file.get("title") or "workbook.xlsx")[:200]
            if self.curation is None:
                return self.post(client, channel, thread_ts, say.NO_DATABASE)
            size = file.get("size")
            if isinstance(size, int) and size > MAX_WORKBOOK_BYTES:  # said before anything is fetched
                return self.post(client, channel, thread_ts, escape(say.refused(name, too_big(size))))
            if not name.lower().endswith(".xlsx") and str(file.get("filetype") or "").lower() != "xlsx":
                return self.post(client, channel, thread_ts, escape(say.refused(name, NOT_A_WORKBOOK)))
            with tempfile.TemporaryDirectory(prefix="madoguchi-upload-") as folder:
                path = Path(folder) / "workbook.xlsx"
                problem = self._download(client, file, path)
                if problem:
                    return self.post(client, channel, thread_ts, escape(say.refused(name, problem)))
                proposal = self.curation.check(path, name, user, team)
            if proposal.problems:
                text = say.refused(name, proposal.problems[0]) if proposal.refused else say.problems(name, proposal.problems)
                return self.post(client, channel, thread_ts, escape(text))
            if not proposal.version:
                return self.post(client, channel, thread_ts, escape(say.unchanged(name)))
            title = say.proposal_title(name) + ("\n" + say.behind(*proposal.behind) if proposal.behind else "")
            self._propose(client, channel, thread_ts, escape(title), proposal)
        except Exception as e:  # noqa: BLE001 - Slack's files.info refused, the database away: said, never a crash
            self.post(client, channel, thread_ts, _failed(e, "checking a workbook"))

    def _download(self, client, file: dict, path: Path) -> str:
        """Fetch the file into path; '' when done, else what went wrong (for the curator)."""
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        if not url and file.get("id"):
            url = str((client.files_info(file=file["id"]).get("file") or {}).get("url_private_download") or "")
        allowed = SLACK_FILE_HOSTS | {urlparse(self.services.settings.api_url).hostname}
        parsed = urlparse(url)
        if parsed.hostname not in allowed or (parsed.scheme != "https" and parsed.hostname in SLACK_FILE_HOSTS):
            log.warning("a file URL outside Slack refused: %s", parsed.hostname)
            return say.NOT_FROM_SLACK
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
        try:
            with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
                if "text/html" in (response.headers.get("Content-Type") or ""):
                    return say.NO_FILES_READ
                data = response.read(MAX_WORKBOOK_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as e:
            log.warning("downloading a workbook failed: %s", e)
            return say.NOT_RECEIVED
        if len(data) > MAX_WORKBOOK_BYTES:
            return too_big(len(data))
        path.write_bytes(data)
        return ""

    def _propose(self, client, channel, thread_ts, title: str, proposal) -> None:
        lines = [line for change in proposal.changes for line in change.lines()]
        value = str(proposal.version)
        blocks = [_section(say.changes(title, [escape(x) for x in lines])), {"type": "actions", "elements": [
            {"type": "button", "action_id": ACTION_APPLY, "text": {"type": "plain_text", "text": say.APPLY},
             "style": "primary", "value": value,
             "confirm": {"title": {"type": "plain_text", "text": say.CONFIRM[0]},
                         "text": {"type": "plain_text", "text": say.CONFIRM[1]},
                         "confirm": {"type": "plain_text", "text": say.CONFIRM[2]},
                         "deny": {"type": "plain_text", "text": say.CONFIRM[3]}}},
            {"type": "button", "action_id": ACTION_DISCARD, "text": {"type": "plain_text", "text": say.DISCARD},
             "value": value}]}]
        self.post(client, channel, thread_ts, title, blocks)

    # ------------------------------------------------------------------ the buttons
    def decide(self, version: int, user: str, apply: bool, respond) -> None:
        try:
            if self.curation is None:
                return respond(replace_original=False, text=say.NO_DATABASE)
            decision = self.curation.decide(version, user, apply)
            if decision.refusal is not None:
                return respond(replace_original=False, text=say.not_applied(decision.refusal))
            if not apply:
                return respond(replace_original=True, text=say.discarded(user))
            row = self.curation.versions.get(version)
            text = say.applied(user, version, decision.contacts, row.decided_at if row else "")
            if decision.problems:
                text += "\n" + say.reload_problems(len(decision.problems))
            respond(replace_original=True, text=text)
        except Exception as e:
            respond(replace_original=False, text=_failed(e, f"deciding on version {version}"))
