"""The keying station end to end in headless Chromium: a generated hand-filled register page keyed whole.

Real everything: the intake API processes the page with Tesseract and signs it; the extractor finds its
grid and makes every written row a record with a field per column, whether or not the hand was read. A
clerk (Playwright driving Debian's Chromium) keys every cell with the keyboard only, from the truth the
generator wrote: typing over what was read, F2 for "same as above", F8 for a cell blank on the paper,
adding a row (F7) and deleting it again (Ctrl+Delete twice). After every key the focused cell must be on
screen and marked on the page image. The stored values, the events, the persons and the audit trail are
then checked, and screenshots of the keying page kept (test-artifacts/keying*.png).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.config import ApiConfig, Config, StorageConfig
from samplegen.sets import hand_register
from storage.repository import intake, review
from storage.repository.models import AuditEntry, Document, Event, FieldValueRow, Person
from tests.integration.test_review_station import ARTIFACTS, _wait_item
from tests.servers import asgi_server, headless_chromium, sign_in_page, wait_in_page
from web.app import ApiContext, create_app, serving

SEED = 7  # a tuning-split page: four entries, seven columns, a blank notes column


@dataclass
class Keyed:
    url: str
    context: ApiContext
    document_id: int
    truth: list[dict[str, str]]


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keyed]:
    folder = tmp_path_factory.mktemp("keying")
    scan, truth = hand_register(folder / "scans", SEED)
    config = replace(
        Config(),
        storage=StorageConfig(data_dir=str(folder / "data")),
        api=ApiConfig(secure_cookies=False),
    )
    with serving(config) as context, asgi_server(create_app(context)) as url:
        engine = context.storage.db
        key = intake.create_client(engine, "portal", ("submit", "read")).api_key
        review.add_staff(engine, "mai", "mật-khẩu-đủ-dài", "reviewer", "Nguyễn Thị Mai")
        created = requests.post(
            f"{url}/dossiers",
            headers={"Authorization": f"Bearer {key}"},
            data={"code": "SO-HT-1", "procedure_code": "1.001193", "agency": "UBND", "channel": "online"},
            files=[("files", (scan.name, scan.read_bytes(), "image/png"))],
            timeout=60,
        ).json()
        document_id = _processed(context, created["documents"][0]["id"])
        records = truth["records"]
        assert isinstance(records, list)
        yield Keyed(url, context, document_id, records)


def _processed(context: ApiContext, item_id: int) -> int:
    item = _wait_item(context, item_id)
    assert item.status == "needs_review" and item.document_id, item.status
    return item.document_id


def test_every_written_row_is_a_record_and_every_column_a_field(keyed: Keyed) -> None:
    with Session(keyed.context.storage.db) as session:
        rows = session.scalars(
            select(FieldValueRow).where(FieldValueRow.document_id == keyed.document_id)
        ).all()
    records = {r.record_index for r in rows}
    assert len(records) == len(keyed.truth)
    columns = {f for f in keyed.truth[0]}
    for record in records:
        fields = {r.field for r in rows if r.record_index == record}
        assert columns <= fields, columns - fields
        assert all(r.bbox and r.page == 1 for r in rows if r.record_index == record)
    wrongly = [
        (r.field, r.value, keyed.truth[r.record_index].get(r.field))
        for r in rows
        if r.status == "accepted" and r.value != keyed.truth[r.record_index].get(r.field)
    ]
    assert not wrongly, wrongly  # nothing the hand wrote was accepted unchecked with a wrong value


def test_a_clerk_keys_the_whole_page_with_the_keyboard(keyed: Keyed, tmp_path: Path) -> None:
    with headless_chromium(tmp_path) as browser:
        page = browser.new_page()
        sign_in_page(page, keyed.url, "mai", "mật-khẩu-đủ-dài")
        page.goto(f"{keyed.url}/review/documents/{keyed.document_id}/key")
        page.wait_for_selector("input.cell:focus")
        assert "Trang sổ đăng ký khai sinh" in page.inner_text("main")
        assert "birth_register_page" not in page.inner_text("main")
        _add_and_delete_a_row(page)
        _refusals(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "keying.png"))
        typed = _key_every_cell(page, keyed.truth)
        wait_in_page(page, "document.body.dataset.done === '1' && document.body.dataset.saving === '0'")
        message = page.inner_text("#message")
        assert "Xong trang" in message and "Số thứ tự liên tục" in message, message
        assert page.evaluate("document.activeElement.id") == "next"  # Enter goes on to the next page
        page.screenshot(path=str(ARTIFACTS / "keying-done.png"))
    _check_repository(keyed, typed)


def _add_and_delete_a_row(page: Any) -> None:
    before = page.locator("#grid tbody tr").count()
    page.keyboard.press("F7")
    deadline = time.monotonic() + 20
    while page.locator("#grid tbody tr").count() != before + 1:
        assert time.monotonic() < deadline, "no row was added"
        time.sleep(0.1)
    page.wait_for_selector("input.cell:focus")
    added = page.evaluate("document.activeElement.closest('tr').dataset.record")
    assert added == str(before)  # focus is on the new row
    assert page.evaluate("document.activeElement.dataset.box") != ""  # its cells have a place on the page
    page.keyboard.press("Control+Delete")
    assert "lần nữa" in page.inner_text("#message")
    page.keyboard.press("Control+Delete")
    deadline = time.monotonic() + 20
    while page.locator("#grid tbody tr").count() != before:
        assert time.monotonic() < deadline, "the added row was not deleted"
        time.sleep(0.1)
    page.wait_for_selector("input.cell:focus")


def _refusals(page: Any) -> None:
    """What the clerk types is checked: a required cell cannot be blank, a date must be a date."""
    number = page.locator("#grid input.cell.pending[data-name='registration_number']")
    if number.count():
        number.first.focus()
        page.keyboard.press("F8")
        wait_in_page(page, "document.body.dataset.saving === '0'")
        assert "không được để trống" in page.inner_text("#message")
        assert page.evaluate("document.activeElement.dataset.name") == "registration_number"
    born = page.locator("#grid input.cell.pending[data-name='date_of_birth']").first
    born.focus()
    page.keyboard.type("31/02/2021")
    page.keyboard.press("Enter")
    wait_in_page(page, "document.body.dataset.saving === '0'")
    assert page.evaluate("document.activeElement.dataset.name") == "date_of_birth"
    assert "date_of_birth" in page.inner_text("#message")
    page.focus("input.cell.pending")  # back to the first cell waiting


def _shown(field: str, value: str) -> str:
    """A truth value as a clerk types it from the page: dates as written (dd/mm/yyyy)."""
    if field in ("date_of_birth", "registration_date") and len(value) == 10 and value[4] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"
    return value


IN_VIEW = (
    "(() => { const r = document.activeElement.getBoundingClientRect();"
    " const m = document.getElementById('mark').getBoundingClientRect();"
    " const s = document.getElementById('sheet').getBoundingClientRect();"
    " return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth"
    " && getComputedStyle(document.getElementById('mark')).display === 'block'"
    " && m.top >= s.top - 1 && m.bottom <= s.bottom + 1; })()"
)


def _key_every_cell(page: Any, truth: list[dict[str, str]]) -> dict[int, str]:
    """Every cell in order, as a clerk would: returns field id → what was typed (or '' for blank)."""
    typed: dict[int, str] = {}
    rows = page.eval_on_selector_all("#grid tbody tr", "rows => rows.map(r => r.dataset.record)")
    order = {record: n for n, record in enumerate(rows)}
    steps = 0
    while True:
        cell = page.evaluate(
            "(i => i && i.matches('input.cell') ? {id: +i.dataset.field, name: i.dataset.name,"
            " row: +i.dataset.row, pending: i.classList.contains('pending') || i.classList.contains('error'),"
            " value: i.value} : null)(document.activeElement)"
        )
        if cell is None:
            break
        wait_in_page(page, IN_VIEW, 5)
        expected = truth[max(cell["row"], 0)].get(cell["name"])
        if cell["pending"]:
            if expected is None:
                page.keyboard.press("F8")  # blank on the paper
                typed[cell["id"]] = ""
            elif cell["row"] > 0 and truth[cell["row"] - 1].get(cell["name"]) == expected:
                page.keyboard.press("F2")  # same as the row above
                typed[cell["id"]] = _shown(cell["name"], expected)
            else:
                page.keyboard.type(_shown(cell["name"], expected))  # replaces the selected text
                page.keyboard.press("Tab" if steps % 2 else "Enter")
                typed[cell["id"]] = _shown(cell["name"], expected)
        else:
            page.keyboard.press("Tab")
        steps += 1
        wait_in_page(page, "document.body.dataset.saving === '0'", 10)
        refused = page.locator(f"input.cell.error[data-field='{cell['id']}']").count()
        assert not refused, page.inner_text("#message")  # what was keyed from the truth is taken
        if page.evaluate("document.body.dataset.done === '1'"):
            break
        assert steps < 400
    assert order  # the grid had rows
    return typed


def _check_repository(keyed: Keyed, typed: dict[int, str]) -> None:
    with Session(keyed.context.storage.db) as session:
        rows = session.scalars(
            select(FieldValueRow).where(FieldValueRow.document_id == keyed.document_id)
        ).all()
        audit = session.scalars(select(AuditEntry).where(AuditEntry.actor == "mai")).all()
        document = session.get_one(Document, keyed.document_id)
        events = session.scalars(select(Event).where(Event.document_id == keyed.document_id)).all()
        subjects = {p.full_name for p in session.scalars(select(Person))}
    assert document.status == "done"
    assert not [r for r in rows if r.status == "needs_review"]
    for r in rows:
        assert r.value == keyed.truth[r.record_index].get(r.field), (r.record_index, r.field, r.value)
    assert sorted(e.registration_number or "" for e in events) == sorted(
        t["registration_number"] for t in keyed.truth
    )
    assert {t["full_name"] for t in keyed.truth} <= subjects
    decided = {
        int(a.entity_id) for a in audit if a.action in ("review.correct", "review.accept", "review.blank")
    }
    assert set(typed) <= decided  # every keyed cell is in the audit trail, by the clerk who keyed it
    by_field = {int(a.entity_id): a for a in audit if a.entity == "field"}
    for field_id, text in typed.items():
        entry = by_field[field_id]
        assert entry.detail["role"] == "reviewer"
        if entry.action == "review.correct" and text:
            assert entry.detail["typed"] == text
    assert {a.action for a in audit} >= {"review.add_row", "review.delete_row"}
