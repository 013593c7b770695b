"""Members imported from the membership portal's export (issue 9): a good CSV, bad rows
reported by row and rule, a file that is not UTF-8, an Excel workbook, people already on the
roster or twice in the file — and nothing half-imported."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from chapterdesk.domain.enums import Membership, OrgCategory
from chapterdesk.domain.member_import import guess_mapping, mapping_problems
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import member_import
from chapterdesk.services.member_import import ImportFileError, read_table
from chapterdesk.store.models import AuditEvent, Organisation, OutboxEntry, Person
from tests.world import World

HEADER = "First Name,Last Name,Email,Company,Member Type,Member Since,Renewal Date\n"


def people_count(world: World) -> int:
    with world.store.session() as s:
        return int(s.scalar(select(func.count()).select_from(Person)) or 0)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_portal_headers_are_recognised() -> None:
    mapping = guess_mapping(
        ["First Name", "Last Name", "E-mail Address", "Organization", "Member Type", "Expires"]
    )
    assert mapping == {
        0: "first_name",
        1: "last_name",
        2: "email",
        3: "organisation",
        4: "membership",
        5: "renewal_date",
    }
    assert mapping_problems({0: "email"}) == [
        "Choose the column(s) holding the names: first and last, or full name.",
        "Choose the column holding the organisation: every person has one (ORG-1).",
    ]


def test_a_good_file_is_previewed_then_imported_in_one_go(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "members.csv",
        HEADER
        + "Dana,Scully,dana@fbi.example,Tailspin Toys,Member,2024-01-15,2027-01-15\n"
        + "Fox,Mulder,fox@fbi.example,Tailspin Toys,Prospect,,\n"
        + "Walter,Skinner,walter@city.example,city of ottawa,Member,03/01/2025,03/01/2026\n",
    )
    table = read_table(path)
    mapping = table.guessed_mapping()
    before = people_count(world)
    with world.store.session() as s:
        preview = member_import.preview_import(s, world.leader, world.chapter, table, mapping)
        assert preview.ready and [p.full_name for p in preview.plan.people] == [
            "Dana Scully",
            "Fox Mulder",
            "Walter Skinner",
        ]
        assert preview.plan.new_organisations == ["Tailspin Toys"]  # City of Ottawa exists
        result = member_import.apply_import(s, world.leader, world.chapter, table, mapping)
    assert (result.added, result.organisations, result.rejected) == (3, 1, 0)
    assert people_count(world) == before + 3
    with world.store.session() as s:
        walter = s.scalars(select(Person).where(Person.last_name == "Skinner")).one()
        assert walter.member_since == date(2025, 3, 1)  # US month/day/year
        assert walter.organisation_id == s.scalar(
            select(Organisation.id).where(Organisation.name == "City of Ottawa")
        )
        fox = s.scalars(select(Person).where(Person.last_name == "Mulder")).one()
        assert fox.membership is Membership.PROSPECT
        tailspin = s.scalars(select(Organisation).where(Organisation.name == "Tailspin Toys")).one()
        assert tailspin.category is OrgCategory.CUSTOMER
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "roster.imported")).one()
        assert event.details["added"] == 3
        new = [walter.id, fox.id, *s.scalars(select(Person.id).where(Person.last_name == "Scully"))]
        queued = s.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.entity == "people", OutboxEntry.entity_id.in_(new))
        )
        assert queued == 3  # the new people go to the server at the next sync


def test_bad_rows_are_reported_by_row_and_rule_and_the_good_ones_imported(
    world: World, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "members.csv",
        HEADER
        + "Dana,Scully,dana@fbi.example,Tailspin Toys,Member,,\n"  # row 2: fine
        + ",Mulder,fox@fbi.example,Tailspin Toys,Member,,\n"  # row 3: no first name
        + "Walter,Skinner,walter@,Tailspin Toys,Member,,\n"  # row 4: bad email
        + "Alex,Krycek,alex@x.example,,Member,,\n"  # row 5: no organisation
        + "Pat,Quinn2,pat2@contoso.example,Contoso Consulting,Member,,\n"  # row 6: ORG-3
        + "Jeff,Spender,jeff@x.example,Tailspin Toys,Honorary,,\n"  # row 7: unknown membership
        + "Cassandra,Spender,cass@x.example,Tailspin Toys,Member,next year,\n"  # row 8: date
        + ",,,,,,\n"  # a blank line: skipped, not reported
        + "Dana,Scully,dana@fbi.example,Tailspin Toys,Member,,\n",  # row 10: repeats row 2
    )
    table = read_table(path)
    with world.store.session() as s:
        result = member_import.apply_import(
            s, world.leader, world.chapter, table, table.guessed_mapping()
        )
        preview = member_import.preview_import(
            s, world.leader, world.chapter, table, table.guessed_mapping()
        )
    assert result.added == 1
    rejected = [(r.row, r.rule) for r in preview.plan.rejected]
    # After the import Dana is on the roster: row 2 and 10 are now "already there".
    assert rejected == [
        (3, "ORG-1"),
        (4, "ROS-1"),
        (5, "ORG-1"),
        (6, "ORG-3"),
        (7, "ORG-5"),
        (8, "ORG-5"),
    ]
    assert [r.row for r in preview.plan.already] == [2, 10]


def test_a_row_repeating_an_earlier_one_is_rejected_naming_it(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "members.csv",
        HEADER
        + "Dana,Scully,dana@fbi.example,Tailspin Toys,Member,,\n"
        + "DANA,SCULLY,,tailspin toys,Member,,\n",
    )
    table = read_table(path)
    with world.store.session() as s:
        preview = member_import.preview_import(
            s, world.leader, world.chapter, table, table.guessed_mapping()
        )
    [repeat] = preview.plan.rejected
    assert repeat.row == 3 and "row 2" in repeat.text


def test_people_already_on_the_roster_are_left_as_they_are(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "members.csv",
        HEADER
        + "Ann,Lee,ANN@example.org,Somewhere Else,Member,,\n"  # same email as Ann Lee
        + "Cléo,Dubé,,Fabrikam Manufacturing,Member,,\n",  # same name at the same company
    )
    table = read_table(path)
    with world.store.session() as s:
        preview = member_import.preview_import(
            s, world.leader, world.chapter, table, table.guessed_mapping()
        )
        assert [r.row for r in preview.plan.already] == [2, 3]
        assert not preview.ready
        with pytest.raises(RuleViolation, match="nobody new"):
            member_import.apply_import(
                s, world.leader, world.chapter, table, table.guessed_mapping()
            )


def test_a_windows_1252_file_is_read_and_said_so(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "members.csv",
        "First Name;Last Name;Company\nRenée;Bélanger;Tailspin Toys\n",
        encoding="cp1252",
    )
    table = read_table(path)
    assert "Windows-1252" in table.note
    assert table.rows == [["Renée", "Bélanger", "Tailspin Toys"]]  # semicolons: sniffed


def test_an_excel_workbook_with_real_dates(world: World, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Organization", "Email", "Join Date", "Paid Through"])
    sheet.append(
        [
            "Lee, Ann-Marie",
            "Tailspin Toys",
            "am@tailspin.example",
            datetime(2023, 5, 2),
            datetime(2027, 5, 2),
        ]
    )
    sheet.append(["Bob Roy Jr", "Tailspin Toys", None, None, None])
    path = tmp_path / "members.xlsx"
    book.save(path)
    table = read_table(path)
    with world.store.session() as s:
        result = member_import.apply_import(
            s, world.leader, world.chapter, table, table.guessed_mapping()
        )
    assert result.added == 2
    with world.store.session() as s:
        am = s.scalars(select(Person).where(Person.first_name == "Ann-Marie")).one()
        assert (am.last_name, am.member_since) == ("Lee", date(2023, 5, 2))
        bob = s.scalars(select(Person).where(Person.last_name == "Jr")).one()
        assert bob.first_name == "Bob Roy"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel file"),
        (b"PK\x03\x04 not really a zip", "not an Excel workbook"),
        (b"\x00\x01\x02 binary \x00", "not a text file"),
    ],
)
def test_files_that_are_not_tables_are_refused_with_what_to_do(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=words):
        read_table(path)


def test_nothing_is_half_imported_when_the_write_fails(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        "members.csv",
        HEADER + "Dana,Scully,dana@fbi.example,Tailspin Toys,Member,,\n"
        "Fox,Mulder,fox@fbi.example,Tailspin Toys,Member,,\n",
    )
    table = read_table(path)

    def disk_full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(member_import, "record_audit", disk_full)
    before = people_count(world)
    with pytest.raises(OSError), world.store.session() as s:
        member_import.apply_import(s, world.leader, world.chapter, table, table.guessed_mapping())
    assert people_count(world) == before
    with world.store.session() as s:
        assert s.scalar(select(Organisation.id).where(Organisation.name == "Tailspin Toys")) is None


def test_only_those_who_keep_the_roster_may_import(world: World, tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "m.csv", HEADER + "Dana,Scully,,Tailspin,Member,,\n"))
    with world.store.session() as s, pytest.raises(PermissionDenied):
        member_import.preview_import(
            s, world.volunteer(), world.chapter, table, table.guessed_mapping()
        )
