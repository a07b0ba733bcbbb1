"""The folder object store and the SQLite repository (migrated by Alembic), with real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitize.errors import StorageError
from digitize.model import (
    DocumentResult,
    DocumentType,
    FieldStatus,
    FieldValue,
    FormLayout,
    Record,
)
from storage.objects import FolderStore
from storage.repository import open_repository
from storage.repository.models import Base, Document, FieldValueRow, Person
from storage.repository.store import ObjectKeys, find_person, save_result


def test_folder_store_round_trip_and_corruption(tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "objects")
    info = store.put("agency/batch/abc/original.png", b"pixels", {"role": "original"})
    assert store.get(info.key) == b"pixels"
    assert store.head(info.key).metadata == {"role": "original"}  # type: ignore[union-attr]
    (tmp_path / "objects" / info.key).write_bytes(b"changed")
    with pytest.raises(StorageError, match="sha256 mismatch"):
        store.get(info.key)
    with pytest.raises(StorageError, match="leaves the store"):
        store.put("../outside", b"x")


def _fv(value: str, status: FieldStatus = FieldStatus.ACCEPTED) -> FieldValue:
    return FieldValue(value, value, 0.95, 1, (1, 2, 3, 4), status)


def _result(sha: str, name: str = "Nguyễn Văn An") -> DocumentResult:
    record = Record(
        "birth",
        {
            "full_name": _fv(name),
            "date_of_birth": _fv("2015-03-12"),
            "personal_id": _fv("036215012345"),
            "mother_full_name": _fv("Trần Thị Lan"),
            "father_full_name": _fv("Nguyễn Văn Bình", FieldStatus.NEEDS_REVIEW),
            "registration_number": _fv("45"),
        },
    )
    form = FormLayout("birth", "certificate", "2016", "mother_first", entries=1)
    return DocumentResult(
        sha, sha, DocumentType.BIRTH_REGISTRATION, (), (record,), {"TypeName": "x"}, b"", None, form=form
    )


def test_migrations_match_the_models(repository_url: str) -> None:
    engine = open_repository(repository_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_saving_is_idempotent_and_persons_merge_by_id(repository_url: str) -> None:
    engine = open_repository(repository_url)
    keys = ObjectKeys("o", "s", "r")
    first = save_result(engine, _result("a" * 64), keys, "agency", "b1")
    again = save_result(engine, _result("a" * 64), keys, "agency", "b1")
    other = save_result(engine, _result("b" * 64), keys, "agency", "b2")  # same person, another document
    assert first.created and not again.created and again.document_id == first.document_id
    assert other.created
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2
        stored = session.scalars(select(Document)).first()
        assert stored is not None and stored.form_version == "birth_2016_certificate"
        assert stored.form["parents"] == "mother_first"
        assert session.scalar(select(func.count()).where(Person.personal_id == "036215012345")) == 1
        rows = session.scalars(select(FieldValueRow).where(FieldValueRow.field == "full_name")).all()
        assert {r.bbox[0] for r in rows if r.bbox} == {1} and len(rows) == 2
    view = find_person(engine, personal_id="036215012345")
    assert view is not None
    assert view.accepted["full_name"] == "Nguyễn Văn An"
    assert "father_full_name" not in view.accepted  # needs review: not offered for reuse
    assert len(view.documents) == 2
    assert (
        find_person(
            engine, full_name="Nguyễn Văn An", date_of_birth="2015-03-12", mother_full_name="Trần Thị Lan"
        )
        is not None
    )


def test_concurrent_workers_saving_the_same_person_make_one_person(repository_url: str) -> None:
    """Eight workers save eight documents naming the same new person at once: one person, eight documents."""
    from concurrent.futures import ThreadPoolExecutor

    engine = open_repository(repository_url)
    shas = [f"{i:x}" * 64 for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        saved = list(
            pool.map(
                lambda sha: save_result(
                    engine, _result(sha[:64]), ObjectKeys("o", None, None), "agency", "b"
                ),
                shas,
            )
        )
    assert all(s.created for s in saved)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 8
        assert session.scalar(select(func.count()).where(Person.personal_id == "036215012345")) == 1


def test_conflicting_sources_are_kept_side_by_side_and_flagged(repository_url: str) -> None:
    """A register page and an extract disagree on a date of birth: both values kept, neither reused."""
    from dataclasses import replace as dc_replace

    from storage.repository.models import AuditEntry

    engine = open_repository(repository_url)
    keys = ObjectKeys("o", None, None)
    save_result(engine, _result("c" * 64), keys, "agency", "b")
    other = _result("d" * 64)
    record = other.records[0]
    changed = dc_replace(record, fields={**record.fields, "date_of_birth": _fv("2015-03-21")})
    save_result(engine, dc_replace(other, records=(changed,)), keys, "agency", "b")
    with Session(engine) as session:
        rows = session.scalars(select(FieldValueRow).where(FieldValueRow.field == "date_of_birth")).all()
        assert sorted(r.value or "" for r in rows) == ["2015-03-12", "2015-03-21"]
        assert {r.status for r in rows} == {"needs_review"} and all(
            "conflicts with" in r.reason for r in rows
        )
        assert {d.status for d in session.scalars(select(Document))} == {"needs_review"}
        (audit,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "conflict")).all()
        assert audit.detail["field"] == "date_of_birth"
    view = find_person(engine, personal_id="036215012345")
    assert view is not None and "date_of_birth" not in view.accepted and view.accepted["full_name"]


def test_a_reviewed_value_reaches_the_event_and_the_persons(repository_url: str) -> None:
    from storage.repository import review
    from storage.repository.models import Event, EventPerson

    engine = open_repository(repository_url)
    saved = save_result(engine, _result("c" * 64), ObjectKeys("o", "s", "r"), "agency", "b")
    with Session(engine) as session:
        rows = {r.field: r.id for r in session.scalars(select(FieldValueRow))}
    clerk, chief = review.Staff(1, "lan", "", "reviewer"), review.Staff(2, "hoa", "", "supervisor")
    review.apply_decisions(
        engine,
        saved.document_id,
        clerk,
        [review.Decision(rows["father_full_name"], "correct", "Nguyễn Văn Bính")],
    )
    review.apply_decisions(
        engine,
        saved.document_id,
        chief,
        [
            review.Decision(rows["registration_number"], "correct", "46", "the book says 46"),
            review.Decision(rows["mother_full_name"], "correct", "Trần Thị Lành", "the book says Lành"),
        ],
    )
    with Session(engine) as session:
        event = session.scalars(select(Event)).one()
        people = {
            link.role: session.get_one(Person, link.person_id)
            for link in session.scalars(select(EventPerson).where(EventPerson.event_id == event.id))
        }
    assert event.registration_number == "46"  # the event row, not only the field
    assert people["father"].full_name == "Nguyễn Văn Bính"
    assert people["mother"].full_name == "Trần Thị Lành"
    assert people["subject"].mother_full_name == "Trần Thị Lành"  # the child's reuse key follows
