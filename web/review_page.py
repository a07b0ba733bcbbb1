"""HTML of the review station, in Vietnamese: sign-in, the queue and the keyboard-first document page.

Keys on the document page: Enter accepts the value (or the correction typed over it) and moves to the next
field waiting; Tab moves on without deciding; F9 marks the field illegible (needs the paper); Ctrl+Enter
accepts every remaining field of the record whose confidence is at or above the threshold.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from html import escape
from typing import Any

from digitize.extract.civil_status import BIRTH, DEATH, MARRIAGE
from digitize.extract.labels import FormSpec
from digitize.extract.register_columns import BIRTH_COLUMNS, DEATH_COLUMNS, MARRIAGE_COLUMNS, Columns
from digitize.indicators import VIETNAM
from digitize.model import union_box
from storage.repository.review import QueueEntry, ReviewDocument, ReviewField, Staff
from web.reasons import vietnamese

_SECTION = {"mother": "mẹ", "father": "cha", "registration": "đăng ký"}


def _labels(
    specs: tuple[FormSpec, ...], columns_first: bool = False, titles: Columns = BIRTH_COLUMNS
) -> dict[str, str]:
    """Field → its label as the paper prints it, taken from the specs of this kind of paper first, and
    from the register column titles first (`columns_first`) or last."""
    labels: dict[str, str] = {}
    for spec in specs:
        for label in spec.labels:
            for section, name in label.fields.items():
                suffix = _SECTION.get(section, "")
                text = f"{label.text} ({suffix})" if suffix and suffix not in label.text else label.text
                labels.setdefault(name, text)
    columns = {field: names[0] for field, (names, _) in titles.items() if not field.startswith("*")}
    return {**labels, **columns} if columns_first else {**columns, **labels}


#: Labels per document type: a death extract shows death labels ("Người đi khai tử"), not a birth form's.
LABELS_BY_TYPE = {
    "birth_registration": _labels((BIRTH, DEATH, MARRIAGE)),
    "birth_register_page": _labels((BIRTH,), columns_first=True),
    "death_registration": _labels((DEATH, BIRTH, MARRIAGE)),
    "death_register_page": _labels((DEATH,), columns_first=True, titles=DEATH_COLUMNS),
    "marriage_registration": _labels((MARRIAGE, BIRTH, DEATH)),
    "marriage_register_page": _labels((MARRIAGE,), columns_first=True, titles=MARRIAGE_COLUMNS),
}
TYPE_NAMES = {
    "birth_registration": "Giấy tờ khai sinh",
    "birth_register_page": "Trang sổ đăng ký khai sinh",
    "death_register_page": "Trang sổ đăng ký khai tử",
    "marriage_register_page": "Trang sổ đăng ký kết hôn",
    "death_registration": "Giấy tờ khai tử",
    "marriage_registration": "Giấy chứng nhận kết hôn",
    "administrative_document": "Văn bản hành chính",
    "unknown": "Chưa xác định loại",
}
STATUS_NAMES = {
    "needs_review": "chờ kiểm tra",
    "done": "đã xong",
    "needs_paper": "cần bản giấy",
    "accepted": "đã chấp nhận",
    "illegible": "không đọc được",
    "processing": "đang xử lý",
    "failed": "lỗi",
}


def vietnam_time(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{aware.astimezone(VIETNAM):%d/%m/%Y %H:%M}"


LABELS = LABELS_BY_TYPE["birth_registration"]

_STYLE = """
body{font-family:"Noto Sans",Arial,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#8b1a1a;color:#fff;padding:.6em 1.2em;display:flex;justify-content:space-between}
header a,header button{color:#fff;background:none;border:0;font:inherit;cursor:pointer}
main{padding:1em 1.5em}table{border-collapse:collapse;background:#fff}
td,th{border:1px solid #ccd;padding:.35em .6em;vertical-align:middle}
.field.pending{background:#fff8e1}.field.accepted{background:#e8f5e9}.field.illegible{background:#fdecea}
.field.keyed{background:#e0f2f1}.field.disputed{background:#ffe0b2}.postponed{color:#777}
.field.low .conf{color:#b00020;font-weight:bold}input.value{font:inherit;font-size:1.05em;width:22em}
img.crop{display:block;max-width:100%;height:auto}
.keys{color:#555;font-size:.9em}.record{margin:1.2em 0}.reason{color:#8a4b00;font-size:.9em}
form.inline{display:inline}.alert{color:#b00020}
#message{position:sticky;top:0;background:#fffbe6;margin:0;padding:.2em .4em;z-index:1}
#message:empty{display:none}
"""


#: The station's own script and style, served from this package (no inline script: the pages' CSP
#: allows only scripts from the server itself).
SCRIPT_URL, STYLE_URL = "/static/review.js", "/static/review.css"


def _page(
    title: str,
    body: str,
    staff: Staff | None = None,
    data: dict[str, str] | None = None,
    assets: tuple[str, ...] = (SCRIPT_URL,),
) -> str:
    who = (
        f"<span>{escape(staff.full_name or staff.username)} ({escape(_role(staff.role))})</span>"
        '<form method="post" action="/logout" class="inline"><button>Đăng xuất</button></form>'
        if staff
        else ""
    )
    attributes = "".join(f' data-{k}="{escape(v)}"' for k, v in (data or {}).items())
    figures = ' · <a href="/review/figures">số liệu nhập</a>' if staff else ""
    script = "".join(
        f'<script src="{a}" defer></script>' if a.endswith(".js") else f'<link rel="stylesheet" href="{a}">'
        for a in (assets if data else ())
    )
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<link rel="stylesheet" href="{STYLE_URL}">{script}</head><body{attributes}>'
        f'<header><span><a href="/review">Số hóa — Trạm kiểm tra</a>{figures}</span>'
        f"<div>{who}</div></header><main>{body}</main></body></html>"
    )


def static_asset(name: str) -> tuple[str, str] | None:
    """(content, media type) of the station's script or style sheet."""
    if name == SCRIPT_URL:
        return _SCRIPT, "text/javascript; charset=utf-8"
    if name == STYLE_URL:
        return _STYLE, "text/css; charset=utf-8"
    return None


def _role(role: str) -> str:
    return {"reviewer": "kiểm tra viên", "supervisor": "giám sát"}.get(role, role)


#: Shown when the browser would drop the session cookie: Secure cookies over plain HTTP to a LAN address.
NEEDS_HTTPS = (
    '<p role="alert" class="alert">Trạm kiểm tra đang được mở qua HTTP thường, nên trình duyệt sẽ không giữ '
    "phiên đăng nhập (cookie chỉ gửi qua HTTPS). Hãy mở trạm qua HTTPS, hoặc nếu đây là mạng nội bộ của cơ "
    "quan, khởi động lại với SOHOA_API_SECURE_COOKIES=false (api.secure_cookies = false). "
    "(Plain HTTP: use HTTPS, or set api.secure_cookies = false on an office LAN.)</p>"
)


def login(next_url: str, failed: bool, wait_s: int = 0, needs_https: bool = False) -> str:
    error = '<p role="alert" class="alert">Sai tên đăng nhập hoặc mật khẩu.</p>' if failed else ""
    if wait_s:
        error = f'<p role="alert" class="alert">Quá nhiều lần đăng nhập sai. Thử lại sau {wait_s} giây.</p>'
    if needs_https:
        error = NEEDS_HTTPS

    body = (
        f"<h1>Đăng nhập</h1>{error}"
        '<form method="post" action="/login">'
        f'<input type="hidden" name="next" value="{escape(next_url)}">'
        '<p><label>Tên đăng nhập <input name="username" autocomplete="username" required autofocus>'
        "</label></p>"
        '<p><label>Mật khẩu <input name="password" type="password" autocomplete="current-password" required>'
        "</label></p><p><button>Đăng nhập</button></p></form>"
    )
    return _page("Đăng nhập — Trạm kiểm tra", body)


def queue(staff: Staff, entries: list[QueueEntry], batch: str, agency: str) -> str:
    rows = "".join(
        f"<tr{' class=postponed' if e.postponed else ''}><td>"
        f'<a href="/review/documents/{e.document_id}">{escape(e.source_name)}</a>'
        f"{' (để sau)' if e.postponed else ''}</td>"
        f"<td>{escape(TYPE_NAMES.get(e.document_type, e.document_type))}</td><td>{escape(e.batch)}</td>"
        f"<td>{escape(e.agency)}</td><td>{vietnam_time(e.saved_at)}</td><td>{e.pages}</td><td>{e.to_review}</td>"
        f"<td>{_keying_link(e.document_id, e.document_type)}</td></tr>"
        for e in entries
    )
    body = (
        f"<h1>Hồ sơ chờ kiểm tra ({len(entries)})</h1>"
        '<form method="get" action="/review">'
        f'<label>Lô <input name="batch" value="{escape(batch)}"></label> '
        f'<label>Cơ quan <input name="agency" value="{escape(agency)}"></label> <button>Lọc</button></form>'
        '<table id="queue"><thead><tr><th>Tài liệu</th><th>Loại</th><th>Lô</th><th>Cơ quan</th>'
        "<th>Số hóa lúc (giờ Việt Nam)</th><th>Trang</th><th>Trường chờ</th><th>Nhập liệu</th></tr></thead>"
        f"<tbody>{rows or '<tr><td colspan=8>Không còn gì chờ kiểm tra.</td></tr>'}</tbody></table>"
    )
    return _page("Hồ sơ chờ kiểm tra", body, staff)


#: Document types keyed as a grid (one row an entry, one column a field) beside the page image.
GRID_TYPES = ("birth_register_page", "death_register_page", "marriage_register_page")


def _keying_link(document_id: int, document_type: str) -> str:
    return (
        f'<a href="/review/documents/{document_id}/key">nhập theo bảng</a>'
        if document_type in GRID_TYPES
        else ""
    )


def as_seen_by(f: ReviewField, clerk: str) -> ReviewField:
    """A field as this clerk may see it in a batch keyed twice: their own keying (never the other
    clerk's) once they keyed it; both keyings, named, when they differ and the clerk is the third."""
    if f.status != "needs_review" or not f.keys:
        return f
    mine = next((k for k in f.keys if k[0] == clerk), None)
    if mine is not None:
        state = "disputed" if len(f.keys) > 1 else "keyed"
        note = "khác lần nhập kia: chờ người thứ ba" if len(f.keys) > 1 else "đã nhập, chờ lần nhập thứ hai"
        return replace(f, status=state, value=mine[2], reason=note)
    if len(f.keys) > 1:
        both = " · ".join(
            f"{who}: «{'không đọc được' if a == 'illegible' else v or 'trống'}»" for who, a, v in f.keys
        )
        return replace(f, reason=f"Hai lần nhập khác nhau — {both}")
    return f  # keyed once by someone else: this clerk keys it without seeing that value


#: How the station names what `digitize.extract.layout` recognised.
PAPERS = {
    "certificate": "giấy chứng nhận",
    "extract": "trích lục",
    "register_table": "sổ dạng bảng",
    "register_blocks": "sổ theo ô",
}
ERAS = {"2016": "mẫu từ 2016", "2010": "mẫu 2010", "older": "mẫu cũ"}
PARENTS = {"mother_first": "mẹ trước", "father_first": "cha trước"}


def form_name(form: dict[str, Any]) -> str:
    """The form the paper was read as (" — trích lục, mẫu từ 2016, mẹ trước"), for the clerk to check."""
    parts = [
        PAPERS.get(str(form.get("paper")), ""),
        ERAS.get(str(form.get("era")), ""),
        PARENTS.get(str(form.get("parents")), ""),
        "hai cột" if form.get("value_columns") == 2 else "",
    ]
    named = ", ".join(p for p in parts if p)
    return f" — {named}" if named else ""


def document_links(doc: ReviewDocument) -> str:
    """Links from a document's page: the grid (registers), the signed copy, and each page whole."""
    base = f"/review/documents/{doc.id}"
    pages = " ".join(f'<a href="{base}/page.jpg?page={n}">trang {n}</a>' for n in sorted(doc.page_dpi))
    grid = f'<a href="{base}/key">nhập theo bảng</a> · ' if doc.document_type in GRID_TYPES else ""
    return f'{grid}<a href="{base}/signed.pdf">bản đã ký</a> · xem {pages}'


def document(staff: Staff, doc: ReviewDocument, threshold: float) -> str:
    doc = replace(doc, fields=[as_seen_by(f, staff.username) for f in doc.fields])
    records = sorted({f.record for f in doc.fields})
    register = len(records) > 1  # a register page: each record is a row, shown whole above its fields
    labels = LABELS_BY_TYPE.get(doc.document_type, LABELS)
    groups = "".join(
        _record(doc, r, [f for f in doc.fields if f.record == r], threshold, register, labels)
        for r in records
    )
    kind = TYPE_NAMES.get(doc.document_type, doc.document_type)
    body = (
        f"<h1>{escape(doc.source_name)}</h1>"
        f"<p>{escape(kind)}{escape(form_name(doc.form))} · lô {escape(doc.batch)} · {escape(doc.agency)} · "
        f'trạng thái <b id="status">{escape(STATUS_NAMES.get(doc.status, doc.status))}</b> · '
        f"{document_links(doc)}</p>"
        '<p class="keys">Enter: chấp nhận / lưu sửa · Tab: trường sau · F9: không đọc được (cần bản giấy) · '
        "F4: lấy giá trị gợi ý · F10: để sau · "
        "Ctrl+Enter: chấp nhận cả bản ghi (các trường đủ độ tin cậy)</p>"
        f'<p id="message" role="status"></p>{groups}'
    )
    data = {
        "document": str(doc.id),
        "threshold": f"{threshold}",
        "statuses": json.dumps(STATUS_NAMES),
        "keying": doc.keying,
    }
    return _page(f"Kiểm tra {doc.source_name}", body, staff, data)


def _record(
    doc: ReviewDocument,
    record: int,
    fields: list[ReviewField],
    threshold: float,
    register: bool,
    labels: dict[str, str],
) -> str:
    boxed = [f for f in fields if f.box and f.page]
    row = ""
    if register and boxed and len({f.page for f in boxed}) == 1:
        whole = union_box((b[0], b[1], b[2], b[3]) for f in boxed if (b := f.box))
        row = f'<div class="row">{_crop(doc.id, boxed[0].page or 1, list(whole), "cả dòng", ROW_SIZE)}</div>'
    lines = "".join(_field(doc.id, f, threshold, labels) for f in fields)
    return (
        f'<section class="record" data-record="{record}"><h2>Bản ghi {record + 1}</h2>{row}'
        "<table><thead><tr><th>Trường</th><th>Ảnh</th><th>Giá trị</th><th>Độ tin cậy</th><th>Lý do</th></tr>"
        f"</thead><tbody>{lines}</tbody></table></section>"
    )


#: Largest shown size of a field's crop and of a register row's strip (CSS pixels).
FIELD_SIZE, ROW_SIZE = (520, 70), (1200, 120)
#: Pixels the crop route adds around a box on each side (`digitize.stages.crops.cut_png`).
CROP_MARGIN = 16


def _crop(document_id: int, page: int, box: list[int], alt: str, fit: tuple[int, int] = FIELD_SIZE) -> str:
    """The crop with its shown size fixed before it loads (width and height), so nothing below moves
    while the images arrive and the field being keyed stays where it is."""
    query = f"page={page}&box={','.join(str(int(v)) for v in box)}"
    source = f"/review/documents/{document_id}/crop.png?{query}"
    width, height = box[2] - box[0] + 2 * CROP_MARGIN, box[3] - box[1] + 2 * CROP_MARGIN
    scale = min(1.0, fit[0] / max(1, width), fit[1] / max(1, height))
    size = f'width="{max(1, round(width * scale))}" height="{max(1, round(height * scale))}"'
    return f'<img class="crop" {size} alt="{escape(alt)}" src="{escape(source)}">'


def _field(document_id: int, f: ReviewField, threshold: float, labels: dict[str, str]) -> str:
    state = {"needs_review": "pending"}.get(f.status, f.status)
    label = escape(labels.get(f.field, f.field))
    low = " low" if f.confidence < threshold else ""
    image = _crop(document_id, f.page, f.box, labels.get(f.field, f.field)) if f.page and f.box else "—"
    editable = "" if f.status == "needs_review" else " readonly tabindex=-1"
    offered = escape(f.suggestion or "")
    offer = (
        f'<br><span class="suggestion" data-value="{offered}">Gợi ý (F4): {offered}</span>' if offered else ""
    )
    return (
        f'<tr class="field {state}{low}" data-field="{f.id}" data-confidence="{f.confidence:.3f}">'
        f"<td>{label}</td><td>{image}</td>"
        f'<td><input class="value" lang="vi" spellcheck="false" value="{escape(f.value or "")}"'
        f' data-original="{escape(f.value or "")}" aria-label="{label}"{editable}></td>'
        f'<td class="conf">{f.confidence:.0%}</td>'
        f'<td class="reason">{escape(vietnamese(f.reason))}{offer}</td></tr>'
    )


_SCRIPT = r"""
const page = document.body.dataset;
const REVIEW = {document: Number(page.document), threshold: Number(page.threshold)};
const pending = () => [...document.querySelectorAll('tr.field.pending input.value')];
const say = (text) => { document.getElementById('message').textContent = text; };
async function send(decisions) {
  const response = await fetch(`/review/documents/${REVIEW.document}/decisions`, {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-Sohoa-Review': '1'},
    body: JSON.stringify({decisions}),
  });
  if (response.redirected || response.status === 401) { location.href = '/login'; return null; }
  const body = await response.json();
  if (!response.ok) { say(body.message + (body.fix ? ' — ' + body.fix : '')); return null; }
  return body;
}
function mark(row, state) {
  row.classList.remove('pending'); row.classList.add(state);
  const input = row.querySelector('input.value'); input.readOnly = true; input.tabIndex = -1;
}
const STATUS = JSON.parse(page.statuses || '{}');  // the server's own names (STATUS_NAMES)
async function finish(body) {
  document.getElementById('status').textContent = STATUS[body.document_status] || body.document_status;
  if (body.waiting_for_you === 0) {  // (keyed twice: what is left waits for another clerk)
    const others = body.remaining ? ` Còn ${body.remaining} trường chờ người nhập khác.` : '';
    say((body.reissued ? 'Xong. Đã ký lại bản điện tử.' : 'Xong.') + others);
    document.body.dataset.done = '1';
    setTimeout(() => { location.href = body.next; }, 600);
  } else { const next = pending()[0]; if (next) next.focus(); }
}
async function decide(input, action) {
  const row = input.closest('tr');
  const value = input.value.normalize('NFC').trim();
  const kind = action || (value !== input.dataset.original.normalize('NFC') ? 'correct' : 'accept');
  const body = await send([{field_id: Number(row.dataset.field), action: kind, value}]);
  if (!body) return;
  mark(row, page.keying === 'double' ? 'keyed' : kind === 'illegible' ? 'illegible' : 'accepted');
  await finish(body);
}
async function postpone() {  // F10: put the document off; it comes back after the others
  const response = await fetch(`/review/documents/${REVIEW.document}/postpone`, {
    method: 'POST', credentials: 'same-origin', headers: {'X-Sohoa-Review': '1'},
  });
  if (response.ok) location.href = (await response.json()).next;
}
async function acceptRecord(input) {
  const rows = [...input.closest('section').querySelectorAll('tr.field.pending')];
  const low = rows.filter(r => Number(r.dataset.confidence) < REVIEW.threshold);
  if (low.length) { say(`Còn ${low.length} trường dưới ngưỡng tin cậy: kiểm tra từng trường.`); return; }
  const body = await send(rows.map(r => ({field_id: Number(r.dataset.field), action: 'accept'})));
  if (!body) return;
  rows.forEach(r => mark(r, page.keying === 'double' ? 'keyed' : 'accepted'));
  await finish(body);
}
document.addEventListener('keydown', (event) => {
  const input = event.target.closest && event.target.closest('tr.field.pending input.value');
  if (!input) return;
  if (event.key === 'Enter' && event.ctrlKey) { event.preventDefault(); acceptRecord(input); }
  else if (event.key === 'Enter') { event.preventDefault(); decide(input); }
  else if (event.key === 'F9') { event.preventDefault(); decide(input, 'illegible'); }
  else if (event.key === 'F4') {  // the suggested value (a unit name spelled officially), taken with one key
    const offered = input.closest('tr').querySelector('.suggestion');
    if (offered) { event.preventDefault(); input.value = offered.dataset.value; decide(input); }
  }
  else if (event.key === 'F10') { event.preventDefault(); postpone(); }
  else if (event.key === 'Tab') {  // round the fields waiting, never out of them into the page
    const all = pending(); const at = all.indexOf(input);
    const next = all[(at + (event.shiftKey ? all.length - 1 : 1)) % all.length];
    if (next) { event.preventDefault(); next.focus(); }
  }
});
document.addEventListener('focusin', (event) => {  // every field: its text selected, itself in view
  const input = event.target.closest && event.target.closest('tr.field.pending input.value');
  if (!input) return;
  input.select();
  input.closest('tr').scrollIntoView({block: 'nearest'});
});
document.addEventListener('DOMContentLoaded', () => {
  const first = pending()[0]; if (first) first.focus();
});
"""
