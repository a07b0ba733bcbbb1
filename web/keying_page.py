"""The keying page of a register page (`/review/documents/{id}/key`): the entries as a grid, one row an entry
and one column a field in the order the columns stand on the paper, beside the page image with the current
cell marked on it and its crop shown large above the grid. The page header (book, office) is keyed once
for every row. The behaviour is `assets/keying.js`; the keys are listed on the page.
"""

from __future__ import annotations

import json
import statistics
from html import escape

from digitize.extract.normalize import ETHNIC_GROUPS, NATIONALITIES, kind_of
from digitize.extract.register import PAGE_FIELDS
from digitize.stages.crops import view_step
from storage.repository.passes import ClerkFigures
from storage.repository.review import ReviewDocument, ReviewField, Staff
from web.api_docs import read_asset
from web.reasons import vietnamese
from web.review_page import (
    LABELS,
    LABELS_BY_TYPE,
    STATUS_NAMES,
    STYLE_URL,
    TYPE_NAMES,
    _page,
    as_seen_by,
    document_links,
)

SCRIPT_URL, KEYING_STYLE_URL = "/static/keying.js", "/static/keying.css"
#: Word lists offered as the clerk types (places are completed by the server: 13 000 units, old and new).
LISTS = {"ethnicity": ETHNIC_GROUPS, "nationality": NATIONALITIES, "sex": ("Nam", "Nữ")}
#: Fields holding a place or an office: completed from the administrative units (`/review/complete`).
PLACE_WORDS = ("place", "residence", "hometown", "office", "address")

KEYING_NAMES = {"single": "nhập một lần", "double": "nhập hai lần (đối chiếu)"}
KEYS = (
    "Enter hoặc Tab: lưu ô và sang ô sau · Shift+Tab: ô trước · ↓: lưu và xuống dòng dưới · "
    "↑: lên dòng trên · F2: giống ô trên · F4: lấy giá trị gợi ý · F8: ô để trống trên giấy · "
    "F9: không đọc được · F7: thêm dòng · Ctrl+Delete (hai lần): xóa dòng · F10: để sau"
)


def keying(staff: Staff, doc: ReviewDocument) -> str:
    labels = LABELS_BY_TYPE.get(doc.document_type, LABELS)
    fields = [as_seen_by(f, staff.username) for f in doc.fields]
    header = [f for f in fields if f.field in PAGE_FIELDS]
    columns = _columns([f for f in fields if f.field not in PAGE_FIELDS])
    rows = _rows([f for f in fields if f.field not in PAGE_FIELDS])
    first = min(doc.page_dpi) if doc.page_dpi else 1
    body = (
        f"<h1>Nhập liệu: {escape(doc.source_name)}</h1>"
        f"<p>{escape(TYPE_NAMES.get(doc.document_type, doc.document_type))} · lô {escape(doc.batch)} · "
        f'{escape(doc.agency)} · trạng thái <b id="status">{escape(STATUS_NAMES.get(doc.status, doc.status))}'
        f'</b> · <a href="/review/documents/{doc.id}">chế độ kiểm tra</a> · {document_links(doc)}</p>'
        f'<p class="keys">{KEYS}</p><p id="message" role="status"></p>'
        '<p><a id="next" hidden>Trang sau →</a></p>'
        '<div class="keying"><div class="work">'
        '<div id="zoom-box"><div id="zoom-label"></div><img id="zoom" alt=""></div>'
        f"{_header(header, labels)}{_grid(columns, rows, labels)}{_lists()}</div>"
        f'<div class="sheet"><div id="sheet"><img id="page" alt="Trang {first}" '
        f'src="/review/documents/{doc.id}/page.jpg?page={first}"><div id="mark"></div></div></div></div>'
    )
    factors = {str(n): 1 / view_step(dpi) for n, dpi in doc.page_dpi.items()}
    data = {
        "document": str(doc.id),
        "factors": json.dumps(factors),
        "statuses": json.dumps(STATUS_NAMES),
        "keying": doc.keying,
    }
    assets = (STYLE_URL, KEYING_STYLE_URL, SCRIPT_URL)
    return _page(f"Nhập liệu {doc.source_name}", body, staff, data, assets)


def _columns(fields: list[ReviewField]) -> list[str]:
    """Field names in the order their columns stand on the page (left to right); fields without a box last."""
    xs: dict[str, list[int]] = {}
    for f in fields:
        xs.setdefault(f.field, []).extend([f.box[0]] if f.box else [])
    return sorted(xs, key=lambda name: statistics.median(xs[name]) if xs[name] else float("inf"))


def _rows(fields: list[ReviewField]) -> list[dict[str, ReviewField]]:
    """Entries top to bottom as written (by page, then the top of their cells), each field → its cell."""
    records: dict[int, dict[str, ReviewField]] = {}
    for f in fields:
        records.setdefault(f.record, {})[f.field] = f

    def where(cells: dict[str, ReviewField]) -> tuple[int, int, int]:
        boxed = [c for c in cells.values() if c.box and c.page]
        record = next(iter(cells.values())).record
        if not boxed:
            return (10**6, 0, record)
        return (min(c.page or 0 for c in boxed), min(c.box[1] for c in boxed if c.box), record)

    return sorted(records.values(), key=where)


def _label(labels: dict[str, str], name: str) -> str:
    if name.startswith("column_"):
        return f"Cột {name.removeprefix('column_')}"
    return labels.get(name, name)


def _header(fields: list[ReviewField], labels: dict[str, str]) -> str:
    """The page header once: one input per field, deciding every row's copy of it (data-twins)."""
    by_name: dict[str, list[ReviewField]] = {}
    for f in fields:
        by_name.setdefault(f.field, []).append(f)
    lines = "".join(
        f"<tr><th>{escape(_label(labels, name))}</th><td>"
        f"{_input(same[0], _label(labels, name), [f.id for f in same[1:]], column=-1, row=-1)}</td></tr>"
        for name, same in by_name.items()
    )
    return f'<table class="page-header">{lines}</table>' if lines else ""


def _grid(columns: list[str], rows: list[dict[str, ReviewField]], labels: dict[str, str]) -> str:
    head = "".join(f"<th>{escape(_label(labels, c))}</th>" for c in columns)
    lines = []
    for n, cells in enumerate(rows):
        record = next(iter(cells.values())).record
        inputs = "".join(
            f"<td>{_input(cells[c], f'{_label(labels, c)}, dòng {n + 1}', [], i, n) if c in cells else ''}"
            "</td>"
            for i, c in enumerate(columns)
        )
        lines.append(f'<tr data-record="{record}"><th>{n + 1}</th>{inputs}</tr>')
    return (
        f'<div class="grid-box"><table id="grid"><thead><tr><th>#</th>{head}</tr></thead>'
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )


def _input(f: ReviewField, label: str, twins: list[int], column: int, row: int) -> str:
    state = {"needs_review": "pending"}.get(f.status, f.status)
    kind = kind_of(f.field)
    if any(word in f.field for word in PLACE_WORDS):
        kind = "place"
    listed = f' list="dl-{kind}"' if kind in LISTS or kind == "place" else ""
    box = f' data-page="{f.page}" data-box="{",".join(str(v) for v in f.box)}"' if f.box and f.page else ""
    title = f' title="{escape(vietnamese(f.reason))}"' if f.reason else ""
    offer = f' data-suggestion="{escape(f.suggestion)}"' if f.suggestion else ""
    locked = "" if state == "pending" else " readonly"  # decided: a supervisor changes it on the review page
    return (
        f'<input class="cell {state}" lang="vi" spellcheck="false" autocomplete="off" data-field="{f.id}" '
        f'data-name="{escape(f.field)}" data-kind="{kind}" data-col="{column}" data-row="{row}" '
        f'data-twins="{",".join(map(str, twins))}" data-original="{escape(f.value or "")}"'
        f"{box}{listed}{title}{offer}{locked} "
        f'aria-label="{escape(label)}" value="{escape(f.value or "")}">'
    )


def _lists() -> str:
    def options(words: tuple[str, ...]) -> str:
        return "".join(f'<option value="{escape(w)}">' for w in words)

    lists = "".join(f'<datalist id="dl-{kind}">{options(words)}</datalist>' for kind, words in LISTS.items())
    return f'{lists}<datalist id="dl-place"></datalist>'


_ASSETS = {
    SCRIPT_URL: ("keying.js", "text/javascript; charset=utf-8"),
    KEYING_STYLE_URL: ("keying.css", "text/css; charset=utf-8"),
}


def static_asset(url: str) -> tuple[str, str] | None:
    """(content, media type) of the keying page's script or style sheet; None for any other address."""
    found = _ASSETS.get(url)
    return (read_asset(found[0]), found[1]) if found else None


FIGURE_HEADINGS = (
    "Người nhập",
    "Lô",
    "Trường",
    "Bản ghi",
    "Giờ nhập",
    "Bản ghi/giờ",
    "Phím/trường",
    "Được đối chiếu",
    "Khác nhau",
    "Tỉ lệ khác",
    "Bị trọng tài sửa",
)


def figures(staff: Staff, rows: list[ClerkFigures], batch: str) -> str:
    """The keying figures per clerk and batch (`storage.repository.passes.keying_figures`)."""

    def cell(value: object) -> str:
        if value is None:
            return "—"
        return f"{value:.3g}" if isinstance(value, float) else escape(str(value))

    lines = "".join(
        f"<tr><td>{escape('(cả lô)' if r.clerk == '*' else r.clerk)}</td>"
        f"<td>{escape(r.batch or '(tất cả)')}</td>"
        + "".join(f"<td>{cell(v)}</td>" for v in (r.fields, r.records, r.hours, r.records_per_hour))
        + "".join(f"<td>{cell(v)}</td>" for v in (r.keystrokes_per_field, r.compared, r.disagreed))
        + f"<td>{'—' if r.disagreement_rate is None else f'{r.disagreement_rate:.1%}'}</td>"
        + f"<td>{r.overruled}</td></tr>"
        for r in rows
    )
    body = (
        "<h1>Số liệu nhập liệu</h1>"
        '<form method="get" action="/review/figures">'
        f'<label>Lô <input name="batch" value="{escape(batch)}"></label> <button>Lọc</button></form>'
        f'<table id="figures"><thead><tr>{"".join(f"<th>{h}</th>" for h in FIGURE_HEADINGS)}</tr></thead>'
        f"<tbody>{lines or '<tr><td colspan=11>Chưa có gì được nhập.</td></tr>'}</tbody></table>"
        '<p class="keys">Giờ nhập: thời gian giữa các lần nhập liên tiếp, bỏ các quãng nghỉ quá 5 phút. '
        "Khác nhau: trường hai người nhập không giống nhau (nhập hai lần). Bị trọng tài sửa: giá trị cuối "
        "cùng không phải giá trị người này nhập.</p>"
    )
    return _page("Số liệu nhập liệu", body, staff)
