"""Birth register pages: a ruled table, one record per row, columns mapped from the header row.

Cells come from the ruled lines found on the page image (`OcrPage.rules_x/rules_y`); every OCR word is
placed in the cell holding its centre. The header row's words are matched to known column titles; a
column whose title is not recognised is ignored rather than guessed. Book number and registering office
come from the lines above the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from digitize.config import ExtractConfig
from digitize.extract.forms import ANY, FormSpec, Label, labelled_values, make_value, missing_field
from digitize.extract.text import fold_token, similar
from digitize.model import FieldValue, OcrPage, OcrWord, Record
from digitize.stages.ocr import cell_index

# Column title (as printed) → (field, normalizer). Longer titles are tried first.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Họ, chữ đệm, tên mẹ", "mother_full_name", "name"),
    ("Họ, chữ đệm, tên cha", "father_full_name", "name"),
    ("Họ, chữ đệm, tên", "full_name", "name"),
    ("Số định danh cá nhân", "personal_id", "personal_id"),
    ("Ngày đăng ký", "registration_date", "date"),
    ("Ngày sinh", "date_of_birth", "date"),
    ("Giới tính", "sex", "sex"),
    ("Dân tộc", "ethnicity", "ethnicity"),
    ("Số", "registration_number", "number"),
)
PAGE_HEADER = FormSpec(
    kind="header",
    start_section="page",
    labels=(
        Label("Quyển số", {ANY: "book_number"}, "book"),
        Label("Nơi đăng ký", {ANY: "registration_office"}),
    ),
)
MIN_TITLE_MATCH = 0.8


def column_field(words: Sequence[OcrWord]) -> tuple[str, str] | None:
    """The (field, normalizer) whose title best matches the header cell's words."""
    tokens = [t for t in (fold_token(w.text) for w in words) if t]
    best: tuple[float, str, str] | None = None
    for title, field, kind in COLUMNS:
        want = [fold_token(t) for t in title.split()]
        if len(want) != len(tokens):
            continue
        score = min(similar(a, b) for a, b in zip(want, tokens, strict=True))
        if score >= MIN_TITLE_MATCH and (best is None or score > best[0]):
            best = (score, field, kind)
    return (best[1], best[2]) if best else None


def _cells(page: OcrPage) -> dict[tuple[int, int], list[OcrWord]]:
    cells: dict[tuple[int, int], list[OcrWord]] = {}
    xs, ys = page.rules_x, page.rules_y
    for word in page.words:
        cx, cy = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
        col, row = cell_index(xs, cx), cell_index(ys, cy)
        if col is not None and row is not None:
            cells.setdefault((row, col), []).append(word)
    return cells


def _header_values(pages: Sequence[OcrPage], config: ExtractConfig) -> dict[str, FieldValue]:
    found: dict[str, FieldValue] = {}
    for page in pages:
        top = page.rules_y[0] if page.rules_y else page.height
        for line in page.lines:
            if line.box[3] > top:
                continue
            for hit, words in labelled_values(line.words, PAGE_HEADER):
                field = hit.label.field_in("page")
                if field and words and field not in found:
                    found[field] = make_value(
                        words, hit.label.kind, page.number, hit.quality, "header", config
                    )
    return found


def read_register(pages: Sequence[OcrPage], config: ExtractConfig) -> list[Record]:
    header = _header_values(pages, config)
    records: list[Record] = []
    for page in pages:
        if len(page.rules_x) < 3 or len(page.rules_y) < 3:
            continue
        cells = _cells(page)
        columns = {col: column_field(cells.get((0, col), [])) for col in range(len(page.rules_x) - 1)}
        for row in range(1, len(page.rules_y) - 1):
            record = _row_record(page, row, cells, columns, config)
            if record is not None:
                records.append(
                    Record(
                        "birth",
                        record
                        | {k: header.get(k, missing_field()) for k in ("book_number", "registration_office")},
                    )
                )
    return records


def cell_reading_order(words: Sequence[OcrWord]) -> list[OcrWord]:
    """Words of one cell line by line, each line left to right.

    The page-wide line numbers cannot be trusted inside a cell: a name wrapped onto a second line in its
    cell can share a page line with text higher up in a neighbouring cell ("Vũ Quốc / Thắng" came out as
    "Vũ Thắng Quốc"). Lines are found again from the cell's own word boxes.
    """
    lines: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        centre, height = (word.box[1] + word.box[3]) / 2, word.box[3] - word.box[1]
        last = lines[-1] if lines else None
        if last and abs(centre - sum((w.box[1] + w.box[3]) / 2 for w in last) / len(last)) < 0.5 * max(
            height, 1
        ):
            last.append(word)
        else:
            lines.append([word])
    return [w for line in lines for w in sorted(line, key=lambda w: w.box[0])]


def _row_record(
    page: OcrPage,
    row: int,
    cells: dict[tuple[int, int], list[OcrWord]],
    columns: dict[int, tuple[str, str] | None],
    config: ExtractConfig,
) -> dict[str, FieldValue] | None:
    fields: dict[str, FieldValue] = {}
    for col, mapping in columns.items():
        if mapping is None:
            continue
        words = cell_reading_order(cells.get((row, col), []))
        fields[mapping[0]] = (
            make_value(words, mapping[1], page.number, 1.0, "table_cell", config)
            if words
            else missing_field()
        )
    if all(v.value is None for v in fields.values()):
        return None  # an empty ruled row
    return fields
