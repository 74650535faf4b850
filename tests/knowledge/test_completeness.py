"""Every row and every phone number of the source document is in the knowledge, once per printing."""

import re
from collections import Counter

import pytest


@pytest.fixture
def knowledge(imported):
    """The tables as imported (tests/fixtures/imported), not today's edited ones."""
    return imported


PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")

# Rows per table, counted by eye in the source (sub-rows such as 三重①② count as rows;
# each bureau's own line with its URL and 代表 number counts as one row).
ROWS_PER_TABLE = {
    "chusho_cho": 15,
    "meti_bureau": 128,
    "pref_sme_division": 47,
    "keiei_kakushin": 47,
    "support_center": 47,
    "city_support_center": 13,
    "saisei": 47,
    "hikitsugi": 47,
    "chuokai": 47,
    "smrj_office": 10,
    "smrj_new_business": 14,
    "smrj_consulting": 12,
    "reconstruction_center": 5,
    "hotline": 1,
    "jetro": 38,
    "government_finance": 4,
    "national_body": 5,
    "fund_startup": 43,
    "fund_agri_commerce": 26,
    "fund_challenge": 3,
    "reconstruction_consultation": 6,
}


def own_numbers(knowledge):
    return Counter(p.number for c in knowledge.contacts if not c.inherited_phones and c.category in ROWS_PER_TABLE
                   for p in c.phones)


def test_source_has_the_documented_shape(source_lines):
    """The source copy is the document the issue describes: 630 lines, 601 numbers, 533 distinct."""
    numbers = PHONE.findall("\n".join(source_lines))
    assert len(source_lines) == 630
    assert (len(numbers), len(set(numbers))) == (601, 533)


def test_every_source_number_occurs_as_often_as_in_the_source(knowledge, source_lines):
    """Each phone string appears in the knowledge exactly as many times as it is printed."""
    expected = Counter(PHONE.findall("\n".join(source_lines)))
    assert own_numbers(knowledge) == expected


@pytest.mark.parametrize("category, rows", sorted(ROWS_PER_TABLE.items()))
def test_row_count_per_table_matches_the_source(knowledge, category, rows):
    """Each table keeps every row of the source."""
    assert len(knowledge.contacts_in(category)) == rows


def test_every_table_of_the_source_is_a_category(knowledge):
    """The import has exactly the tables counted above, and each is a category of the knowledge."""
    from tests.conftest import IMPORTED_DIR

    assert {p.stem for p in (IMPORTED_DIR / "contacts").glob("*.csv")} == set(ROWS_PER_TABLE)
    assert {c.id for c in knowledge.categories} >= set(ROWS_PER_TABLE)


def test_every_number_is_on_the_source_line_the_contact_names(knowledge, source_lines):
    """A contact's own numbers are printed on its source_line (no row shifted to a neighbour)."""
    for contact in knowledge.contacts:
        if contact.category not in ROWS_PER_TABLE:
            continue
        assert contact.source_line, contact.id
        line = source_lines[contact.source_line - 1]
        following = source_lines[contact.source_line] if contact.source_line < len(source_lines) else ""
        for phone in contact.phones if not contact.inherited_phones else ():
            assert phone.number in line or phone.number in following, (contact.id, phone.number, line)


def test_every_division_is_printed_on_its_source_line(knowledge, source_lines):
    """Division names come from the same line as their numbers."""
    for contact in knowledge.contacts:
        if contact.division and contact.category in ROWS_PER_TABLE and contact.category != "government_finance":
            assert contact.division in source_lines[contact.source_line - 1], contact.id
