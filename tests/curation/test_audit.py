"""`madoguchi knowledge audit`: rows scored by what makes them likely stale, from the knowledge itself (no row named
here: staff edits change what is found, not whether the rules hold)."""

import io

from bot.curation.audit import BUREAU_DIVISION, CHANGED, NO_URL, OLD_FORM, UNREACHABLE, audit, print_audit, write_audit_csv
from bot.knowledge.model import ChangeKind, Reach


def test_each_risk_is_found_where_the_knowledge_says(knowledge):
    result = audit(knowledge)
    risks = {row.contact.id: row.risks for row in result.rows}
    for c in knowledge.contacts:
        found = risks.get(c.id, [])
        assert (NO_URL in found) == (not c.url)
        assert (BUREAU_DIVISION in found) == (c.serves.kind == Reach.AREA and bool(c.department or c.division))
        assert (OLD_FORM in found) == any(f in f"{c.organization} {c.operator}" for f in ("(財)", "(社)"))
    changed = [x for x in knowledge.changes if x.kind != ChangeKind.NOT_LISTED and x.organization]
    assert changed and all(CHANGED in risks[c.id] for x in changed for c in knowledge.contacts
                           if x.organization in f"{c.organization} {c.name}")
    assert sum(counts["rows"] for counts in result.by_table.values()) == result.total == len(knowledge.contacts)


def test_a_reported_number_comes_first_and_the_csv_is_safe_for_excel(knowledge):
    quiet = knowledge.contacts[-1]
    result = audit(knowledge, {quiet.id: 2})
    first = result.rows[0]
    assert first.contact.id == quiet.id and UNREACHABLE in first.risks and first.unreachable == 2
    out = io.StringIO()
    write_audit_csv(result, knowledge, out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("\ufeff点数,id,表") and len(lines) == len(result.rows) + 1
    text = io.StringIO()
    print_audit(result, knowledge, text, top=5)
    assert knowledge.source.as_of in text.getvalue() and quiet.id in text.getvalue()
