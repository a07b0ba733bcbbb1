"""Keying a register page in the repository: rows added and deleted, checks on what is typed, the numbering
checked on finishing — on SQLite and on a real PostgreSQL cluster."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.errors import ConflictError, PermissionDeniedError, RequestError
from digitize.extract.place_checks import MISSPELLED_UNIT
from digitize.model import DocumentResult, DocumentType, FieldStatus, FieldValue, Record
from storage.repository import keying, open_repository, passes, review
from storage.repository.models import AuditEntry, Document, Event, FieldValueRow, Person
from storage.repository.store import ObjectKeys, save_result
from tests.conftest import ROOT

CLERK, CHIEF = review.Staff(1, "lan", "", "reviewer"), review.Staff(2, "hoa", "", "supervisor")


def _cell(value: str | None, top: int, left: int, read: bool = False) -> FieldValue:
    status = FieldStatus.ACCEPTED if read else FieldStatus.NEEDS_REVIEW
    return FieldValue(value, value or "", 0.9 if read else 0.0, 1, (left, top, left + 90, top + 50), status)


BIRTH_CELLS = ("registration_number", "full_name", "date_of_birth", "sex", "personal_id")


def _page(
    sha: str,
    numbers: list[str],
    book: str = "01/2021",
    kind: DocumentType = DocumentType.BIRTH_REGISTER_PAGE,
    cells: tuple[str, ...] = BIRTH_CELLS,
) -> DocumentResult:
    """A register page of unread entries, one row of cells an entry (100 px a column), and its book."""
    event = kind.value.removesuffix("_register_page")
    number = FieldValue(book, book, 0.95, 1, (600, 20, 700, 50), FieldStatus.ACCEPTED)
    records = tuple(
        Record(
            event,
            {name: _cell(None, 100 + 50 * i, 10 + 100 * k) for k, name in enumerate(cells)}
            | {"book_number": number},
        )
        for i in range(len(numbers))
    )
    return DocumentResult(sha, sha, kind, (), records, {}, b"", None)


def _fields(engine: object, document_id: int) -> dict[tuple[int, str], int]:
    with Session(engine) as session:  # type: ignore[call-overload]
        rows = session.scalars(select(FieldValueRow).where(FieldValueRow.document_id == document_id))
        return {(r.record_index, r.field): r.id for r in rows}


def _key(engine: object, document_id: int, values: dict[tuple[int, str], str]) -> None:
    ids = _fields(engine, document_id)
    decisions = [review.Decision(ids[k], "correct", v) for k, v in values.items()]
    review.apply_decisions(engine, document_id, CLERK, decisions)  # type: ignore[arg-type]


def test_typed_values_are_checked_against_the_rest_of_the_entry(repository_url: str) -> None:
    engine = open_repository(repository_url)
    doc = save_result(engine, _page("a" * 64, ["1"]), ObjectKeys("o", "s", "r"), "UBND", "b").document_id
    ids = _fields(engine, doc)
    _key(engine, doc, {(0, "date_of_birth"): "12/03/2015", (0, "sex"): "Nữ"})
    with pytest.raises(RequestError, match="sex digit 0 does not match sex Nữ") as refused:
        review.apply_decisions(
            engine, doc, CLERK, [review.Decision(ids[0, "personal_id"], "correct", "036015012345")]
        )
    assert refused.value.code == "inconsistent"
    with pytest.raises(RequestError, match="year digits 14") as refused:
        review.apply_decisions(
            engine, doc, CLERK, [review.Decision(ids[0, "personal_id"], "correct", "036314012345")]
        )
    _key(engine, doc, {(0, "personal_id"): "036315012345"})  # century 21, female, born 2015: right
    with pytest.raises(RequestError, match="cannot be left blank") as refused:
        review.apply_decisions(engine, doc, CLERK, [review.Decision(ids[0, "registration_number"], "blank")])
    assert refused.value.code == "required"
    with Session(engine) as session:
        assert session.get_one(FieldValueRow, ids[0, "registration_number"]).status == "needs_review"
        person = session.scalars(select(Person).where(Person.personal_id == "036315012345")).one()
    assert (person.sex, person.date_of_birth) == ("Nữ", "2015-03-12")  # accepted values reach the person


def test_rows_are_added_and_deleted_with_their_event_and_persons(repository_url: str) -> None:
    engine = open_repository(repository_url)
    doc = save_result(engine, _page("b" * 64, ["1", "2"]), ObjectKeys("o", "s", "r"), "UBND", "b").document_id
    with Session(engine) as session:
        persons_before = len(session.scalars(select(Person)).all())
    record = keying.add_row(engine, doc, CLERK)
    assert record == 2
    with Session(engine) as session:
        added = session.scalars(select(FieldValueRow).where(FieldValueRow.record_index == 2)).all()
        assert session.scalars(select(Event).where(Event.record_index == 2)).one()
    cells = {r.field: r for r in added}
    assert cells["full_name"].bbox == [110, 200, 200, 250]  # one row below the last, the same width
    assert (cells["full_name"].status, cells["book_number"].value) == ("needs_review", "01/2021")
    _key(engine, doc, {(0, "full_name"): "Lê Thu Trang"})
    with pytest.raises(PermissionDeniedError, match="accepted values"):
        keying.delete_row(engine, doc, CLERK, 0)  # a keyed entry is not the clerk's to delete
    keying.delete_row(engine, doc, CLERK, 2)
    with Session(engine) as session:
        assert not session.scalars(select(FieldValueRow).where(FieldValueRow.record_index == 2)).all()
        assert not session.scalars(select(Event).where(Event.record_index == 2)).all()
        assert len(session.scalars(select(Person)).all()) == persons_before  # its empty persons went too
        actions = [a.action for a in session.scalars(select(AuditEntry))]
    assert "review.add_row" in actions and "review.delete_row" in actions
    keying.delete_row(engine, doc, CHIEF, 0)  # a supervisor may


def test_numbering_is_checked_on_the_page_and_from_the_previous_page_of_the_book(repository_url: str) -> None:
    engine = open_repository(repository_url)
    first = save_result(
        engine, _page("c" * 64, ["1", "2"]), ObjectKeys("o", "s", "r"), "UBND", "b"
    ).document_id
    second = save_result(engine, _page("d" * 64, ["1", "2", "3"]), ObjectKeys("o", "s2", "r"), "UBND", "b")
    _key(engine, first, {(0, "registration_number"): "20", (1, "registration_number"): "21"})
    assert keying.numbering_problems(engine, first) == []
    _key(engine, second.document_id, {(0, "registration_number"): "23", (1, "registration_number"): "23"})
    _key(engine, second.document_id, {(2, "registration_number"): "25"})
    assert keying.numbering_problems(engine, second.document_id) == [
        "trang bắt đầu ở số 23, trang trước của quyển kết thúc ở số 21",
        "số 23 ghi hai lần",
        "sau số 23 là số 25",
    ]


def test_a_finished_page_gets_no_rows_and_loses_one_only_by_a_supervisor(repository_url: str) -> None:
    engine = open_repository(repository_url)
    result = _page("e" * 64, ["1"])
    read = Record(
        "birth",
        {
            k: replace(v, status=FieldStatus.ACCEPTED, value=v.value or "1")
            for k, v in result.records[0].fields.items()
        },
    )
    done = replace(result, records=(read,))
    doc = save_result(engine, done, ObjectKeys("o", "s", "r"), "UBND", "b").document_id
    with pytest.raises(PermissionDeniedError, match="finished"):
        keying.add_row(engine, doc, CLERK)
    with pytest.raises(ConflictError, match="rows are added while it waits"):
        keying.add_row(engine, doc, CHIEF)  # its entries were announced: changed field by field
    with pytest.raises(PermissionDeniedError, match="finished"):
        keying.delete_row(engine, doc, CLERK, 0)
    keying.delete_row(engine, doc, CHIEF, 0)
    with Session(engine) as session:
        assert session.get_one(Document, doc).status == "done"
        announced = session.scalars(select(AuditEntry).where(AuditEntry.action == "review.delete_row")).one()
    assert announced.actor == "hoa"


def test_double_keying_takes_what_two_clerks_agree_on_and_sends_the_rest_to_a_third(
    repository_url: str,
) -> None:
    engine = open_repository(repository_url)
    doc = save_result(
        engine, _page("f" * 64, ["1", "2"]), ObjectKeys("o", "s", "r"), "UBND", "b2"
    ).document_id
    passes.set_mode(engine, "b2", "double", "hoa")
    ids = _fields(engine, doc)
    an, binh, chi = (
        review.Staff(n, name, "", "reviewer") for n, name in ((3, "an"), (4, "binh"), (5, "chi"))
    )
    first = {
        (0, "registration_number"): "20",
        (0, "full_name"): "Lê Thu Trang",
        (1, "registration_number"): "21",
    }
    first |= {(1, "full_name"): "Lý Thanh Hải"}
    second = first | {(1, "full_name"): "Lý Thanh Hài"}  # one letter keyed differently
    for where, text in first.items():
        outcome = review.apply_decisions(
            engine, doc, an, [review.Decision(ids[where], "correct", text, "", len(text) + 1)]
        )
        assert not outcome.changed  # one keying decides nothing
    assert outcome.waiting_for_you == outcome.remaining - 4  # what an keyed waits for someone else
    assert {e.document_id for e in review.review_queue(engine, staff="binh")} == {doc}
    with Session(engine) as session:
        waiting = session.get_one(FieldValueRow, ids[0, "full_name"])
        assert (waiting.status, waiting.value) == ("needs_review", None)  # binh does not see an's value
    for where, text in second.items():
        review.apply_decisions(
            engine, doc, binh, [review.Decision(ids[where], "correct", text, "", len(text) + 3)]
        )
    with Session(engine) as session:
        rows = {(r.record_index, r.field): r for r in session.scalars(select(FieldValueRow))}
    agreed = [rows[w] for w in first if w != (1, "full_name")]
    assert all(
        r.status == "accepted" and r.value == first[w]
        for w, r in zip([w for w in first if w != (1, "full_name")], agreed, strict=True)
    )
    disputed = rows[1, "full_name"]
    assert disputed.status == "needs_review" and "keyed differently by an and binh" in disputed.reason
    with pytest.raises(PermissionDeniedError, match="a third person decides"):
        review.apply_decisions(engine, doc, an, [review.Decision(disputed.id, "correct", "Lý Thanh Hải")])
    review.apply_decisions(
        engine, doc, chi, [review.Decision(disputed.id, "correct", "Lý Thanh Hải", "", 14)]
    )
    with Session(engine) as session:
        decided = session.get_one(FieldValueRow, disputed.id)
        arbitration = session.scalars(select(AuditEntry).where(AuditEntry.actor == "chi")).one()
        person = session.scalars(select(Person).where(Person.full_name == "Lý Thanh Hải")).one()
    assert (decided.status, decided.value, decided.reviewed_by) == ("accepted", "Lý Thanh Hải", "chi")
    assert arbitration.detail["double"] == "arbitrated"
    assert arbitration.detail["keyed"] == {"an": "Lý Thanh Hải", "binh": "Lý Thanh Hài"}
    assert person is not None  # the decided value reached the person
    figures = {(f.clerk, f.batch): f for f in passes.keying_figures(engine, "b2")}
    assert (figures["an", "b2"].fields, figures["an", "b2"].compared, figures["an", "b2"].disagreed) == (
        4,
        4,
        1,
    )
    assert (figures["an", "b2"].overruled, figures["binh", "b2"].overruled) == (
        0,
        1,
    )  # the arbiter sided with an
    assert figures["*", "b2"].disagreement_rate == 1 / 4
    assert figures["an", "b2"].keystrokes_per_field and figures["binh", "b2"].keystrokes_per_field
    assert figures["binh", "b2"].keystrokes_per_field > figures["an", "b2"].keystrokes_per_field
    assert figures["an", "b2"].records == 2


def _digitize(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "SOHOA_STORAGE_DATA_DIR": str(data)},
        check=False,
    )


def test_the_batch_mode_is_set_and_the_figures_reported_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    engine = open_repository(f"sqlite:///{data / 'repository.sqlite3'}")
    doc = save_result(
        engine, _page("g" * 64, ["1"]), ObjectKeys("o", "s", "r"), "UBND", "so-1998"
    ).document_id
    engine.dispose()
    answer = _digitize(data, "keying", "so-1998", "double")
    assert answer.returncode == 0 and "keyed double" in answer.stdout, answer.stderr
    engine = open_repository(f"sqlite:///{data / 'repository.sqlite3'}")
    ids = _fields(engine, doc)
    for clerk, name in (
        (review.Staff(3, "an", "", "reviewer"), "Lê Thu Trang"),
        (review.Staff(4, "binh", "", "reviewer"), "Lê Thu Tráng"),
    ):
        review.apply_decisions(
            engine, doc, clerk, [review.Decision(ids[0, "full_name"], "correct", name, "", 13)]
        )
        review.apply_decisions(
            engine, doc, clerk, [review.Decision(ids[0, "registration_number"], "correct", "7", "", 2)]
        )
    engine.dispose()
    shown = _digitize(data, "report", "--keying", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    rows = {(r["clerk"], r["batch"]): r for r in json.loads(shown.stdout)}
    assert rows["(all)", "so-1998"]["compared"] == 4 and rows["(all)", "so-1998"]["disagreed"] == 2
    assert rows["(all)", "so-1998"]["disagreement_rate"] == 0.5
    assert rows["an", "so-1998"]["keystrokes_per_field"] == 7.5
    table = _digitize(data, "report", "--keying").stdout
    assert "differed" in table.splitlines()[1] and "binh" in table


def test_a_postponed_page_comes_after_the_others_for_that_clerk_only(repository_url: str) -> None:
    engine = open_repository(repository_url)
    first = save_result(engine, _page("h" * 64, ["1"]), ObjectKeys("o", "s", "r"), "UBND", "b").document_id
    second = save_result(engine, _page("i" * 64, ["1"]), ObjectKeys("o", "s2", "r"), "UBND", "b").document_id
    review.postpone(engine, first, CLERK)
    mine = review.review_queue(engine, staff=CLERK.username)
    assert [(e.document_id, e.postponed) for e in mine] == [(second, False), (first, True)]
    theirs = review.review_queue(engine, staff=CHIEF.username)
    assert [e.document_id for e in theirs] == [first, second]  # oldest first, as before
    assert [e.document_id for e in review.review_queue(engine, staff=CLERK.username, limit=1)] == [second]


def test_a_misspelled_unit_is_offered_spelled_officially(repository_url: str) -> None:
    engine = open_repository(repository_url)
    place = FieldValue(
        "xã Cãm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương",
        "xã Cãm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương",
        0.9,
        1,
        (10, 10, 400, 50),
        FieldStatus.NEEDS_REVIEW,
        MISSPELLED_UNIT.format("Cẩm Vũ"),
    )
    result = _page("j" * 64, ["1"])
    record = Record("birth", {**result.records[0].fields, "place_of_birth": place})
    doc = save_result(
        engine, replace(result, records=(record,)), ObjectKeys("o", "s", "r"), "UBND", "b"
    ).document_id
    shown = review.review_document(engine, doc)
    assert shown is not None
    offered = {f.field: f.suggestion for f in shown.fields}
    assert offered["place_of_birth"] == "xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương"
    assert offered["full_name"] is None


def test_a_death_book_page_is_keyed_as_a_birth_book_page_is(repository_url: str) -> None:
    """Its numbering is checked, and a row added is a death with the deceased to key."""
    engine = open_repository(repository_url)
    cells = ("registration_number", "deceased_full_name", "date_of_death")
    death = _page("e" * 64, ["", ""], "01/2019", DocumentType.DEATH_REGISTER_PAGE, cells)
    doc = save_result(engine, death, ObjectKeys("o", "s", "r"), "UBND", "b").document_id
    _key(engine, doc, {(0, "registration_number"): "7", (1, "registration_number"): "9"})
    assert keying.numbering_problems(engine, doc) == ["sau số 7 là số 9"]
    assert keying.add_row(engine, doc, CLERK) == 2
    with Session(engine) as session:
        event = session.scalars(select(Event).where(Event.document_id == doc, Event.record_index == 2)).one()
        cells = {
            r.field for r in session.scalars(select(FieldValueRow).where(FieldValueRow.record_index == 2))
        }
    assert event.kind == "death" and {"deceased_full_name", "date_of_death", "book_number"} <= cells
