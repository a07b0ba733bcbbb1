"""Register pages of the birth, death and marriage books (`register_columns.RegisterSpec`): a ruled
table (one record a row), or labelled blocks (one record a block).

Tables: cells come from the ruled lines found on the page image (`OcrPage.rules_x/rules_y`); every OCR
word is placed in the cell holding its centre. The row of column titles is found among the first rows and
each title matched, whatever the order, against the titles of every period and province (a title over two
lines is one cell, or one the heading row's rule cuts); a column whose title is not recognised is kept as
`column_N`, not dropped or guessed. A marriage book's spouse columns titled alike go by the heading over
them or the name column before them.
Blocks (the books used since 2016): the form reader goes down the page and starts a new record where an
entry's first fields come again. Book number and registering office come from the lines above.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from digitize.config import ExtractConfig
from digitize.extract.forms import Reading, finish, make_value, missing_field, new_reading, read_line
from digitize.extract.labels import ANY, FormSpec, Label, compact, labelled_values
from digitize.extract.names import SURNAMES
from digitize.extract.normalize import ethnicity, personal_id, sex
from digitize.extract.register_columns import (
    BIRTH_REGISTER,
    SPOUSE_COLUMN,
    SPOUSE_HEADINGS,
    Columns,
    RegisterSpec,
)
from digitize.extract.text import fold
from digitize.extract.verdicts import needs_review
from digitize.model import FieldStatus, FieldValue, OcrPage, OcrWord, Record
from digitize.stages.ocr import cell_index

PAGE_HEADER = FormSpec(
    kind="header",
    start_section="page",
    labels=(
        Label(("Quyển số", "Sổ số"), {ANY: "book_number"}, "book"),
        Label(("Nơi đăng ký", "Cơ quan đăng ký", "Đăng ký tại"), {ANY: "registration_office"}),
        Label(("Trang số", "Trang"), {}),
    ),
)
#: Fields of the page header (book, office): one value for every entry of the page.
PAGE_FIELDS = ("book_number", "registration_office")
#: Share of a header cell's letters a column title must match (Indel similarity, per cent).
MIN_TITLE_MATCH = 86.0


def _needed(title: str) -> float:
    """The match a title needs: MIN_TITLE_MATCH, or one misread letter in a short one ("Nan/Nữ")."""
    return min(MIN_TITLE_MATCH, 100.0 * (1 - 1 / len(title)) - 0.01) if len(title) >= 5 else MIN_TITLE_MATCH


def column_field(words: Sequence[OcrWord], columns: Columns) -> tuple[str, str] | None:
    """The (field, normalizer) whose title best matches the header cell's words (a title over two lines
    is one cell); None when no title of any period matches."""
    text = compact(" ".join(w.text for w in cell_reading_order(words)))
    if not text:
        return None
    best: tuple[float, int, str, str] | None = None
    for name, (titles, kind) in columns.items():
        for title in titles:
            wanted = compact(title)
            score = fuzz.ratio(wanted, text)
            candidate = (score, len(title), name, kind)
            if score >= _needed(wanted) and (best is None or candidate[:2] > best[:2]):
                best = candidate
    return (best[2], best[3]) if best else None


def table_cells(page: OcrPage) -> dict[tuple[int, int], list[OcrWord]]:
    cells: dict[tuple[int, int], list[OcrWord]] = {}
    xs, ys = page.rules_x, page.rules_y
    for word in page.words:
        cx, cy = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
        col, row = cell_index(xs, cx), cell_index(ys, cy)
        if col is not None and row is not None:
            cells.setdefault((row, col), []).append(word)
    return cells


#: Share of the page's height at its top edge where a horizontal rule is the sheet's edge, not the table's.
PAGE_EDGE = 0.02


def _header_values(pages: Sequence[OcrPage], config: ExtractConfig) -> dict[str, FieldValue]:
    found: dict[str, FieldValue] = {}
    for page in pages:
        # the table's first rule; a "rule" along the page's edge is the edge of a photographed sheet
        top = next((y for y in page.rules_y if y > PAGE_EDGE * page.height), page.height)
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


def read_register(
    pages: Sequence[OcrPage], config: ExtractConfig, spec: RegisterSpec = BIRTH_REGISTER
) -> list[Record]:
    if not any(len(p.rules_x) >= 3 and len(p.rules_y) >= 3 for p in pages):
        return read_blocks(pages, config, spec)
    header = _header_values(pages, config)
    records: list[Record] = []
    for page in pages:
        if len(page.rules_x) < 3 or len(page.rules_y) < 3:
            continue
        cells = table_cells(page)
        head, columns = _header_row(page, cells, spec.columns)
        columns = _typed_by_contents(page, cells, head, columns, spec.columns)
        columns, named = _subject_by_contents(page, cells, head, columns, spec.columns)
        for row in range(head + 1, len(page.rules_y) - 1):
            record = _row_record(page, row, cells, columns, config)
            if record is not None and named and record[named].value is not None:
                record[named] = needs_review(record[named], NAMED_BY_CONTENTS, config)
            if record is not None:
                records.append(
                    Record(
                        spec.kind,
                        record | {k: header.get(k, missing_field()) for k in PAGE_FIELDS},
                    )
                )
    return records


def _header_row(
    page: OcrPage, cells: dict[tuple[int, int], list[OcrWord]], columns: Columns
) -> tuple[int, dict[int, tuple[str, str] | None]]:
    """The row of column titles (the first rows may hold a heading or column numbers) and, per column,
    the field it holds; a column no title matches is kept as `column_N`, not dropped."""
    best: tuple[int, int, dict[int, tuple[str, str] | None]] | None = None
    for row in range(min(3, len(page.rules_y) - 2)):
        mapped = {
            col: column_field(cells.get((row, col), []), columns) for col in range(len(page.rules_x) - 1)
        }
        known = sum(1 for m in mapped.values() if m is not None)
        if best is None or known > best[0]:
            best = (known, row, mapped)
    assert best is not None
    _, row, mapped = best
    for col in mapped:  # a title over two rows stands in the row above, or runs on into this one
        if mapped[col] is None and row:
            mapped[col] = column_field([*cells.get((row - 1, col), []), *cells.get((row, col), [])], columns)
    headings = _headings(page, cells, row)
    for col, mapping in _whose(_named(mapped, headings), headings).items():
        if mapping is None and cells.get((row, col)):
            mapping = (f"column_{col + 1}", "text")
        mapped[col] = mapping
    return row, mapped


Mapping = dict[int, tuple[str, str] | None]

#: Kinds whose values are a closed list or of a shape nothing else has (twelve digits: a personal ID), so
#: that a column of them says what it holds whatever its title.
CLOSED_KINDS = {"sex": sex, "ethnicity": ethnicity, "personal_id": personal_id}
#: Share of an untitled column's cells that must be of one closed list, and how many at least.
CONTENTS_SHARE, CONTENTS_MIN = 2 / 3, 2


def _typed_by_contents(
    page: OcrPage, cells: dict[tuple[int, int], list[OcrWord]], head: int, mapped: Mapping, columns: Columns
) -> Mapping:
    """A column no title matched (kept as `column_N`) whose cells are, nearly all, of one closed list
    ("Nam"/"Nữ", the ethnic groups) holds the register's one field of that kind, when no other column
    holds it: a held-out death book's "Phái" was read "Phá" and its sex was lost on every row (seed
    7300000). Each value is still checked as that kind, a misread one goes to review."""
    taken = {m[0] for m in mapped.values() if m}
    typed = dict(mapped)
    kinds = {  # each closed kind's fields in this book, ambiguous when several ("*ethnicity" of a spouse)
        kind: [name for name, (_, k) in columns.items() if k == kind and not name.startswith("*")]
        for kind in CLOSED_KINDS
    }
    for col, mapping in mapped.items():
        if not (mapping and mapping[0].startswith("column_")):
            continue
        texts = _column_texts(page, cells, head, col)
        for kind, normalizer in CLOSED_KINDS.items():
            fields = kinds[kind]
            if len(fields) == 1 and fields[0] not in taken and _mostly([normalizer(t).ok for t in texts]):
                typed[col] = (fields[0], kind)
                taken.add(fields[0])
    return typed


def _column_texts(
    page: OcrPage, cells: dict[tuple[int, int], list[OcrWord]], head: int, col: int
) -> list[str]:
    rows = range(head + 1, len(page.rules_y) - 1)
    return [" ".join(w.text for w in cells[(row, col)]) for row in rows if cells.get((row, col))]


def _mostly(held: list[bool]) -> bool:
    """Enough of a column's cells hold what is looked for (one flag a cell)."""
    return sum(held) >= max(CONTENTS_MIN, CONTENTS_SHARE * len(held))


#: The book's own person, named before anyone else on every period's page (the child, the deceased).
SUBJECTS = ("full_name", "deceased_full_name")
NAMED_BY_CONTENTS = (
    "the column's title was not read: its names are taken for the entry's own person: check it"
)


#: Surnames without their marks: a name misread in its marks still looks like a name.
_SURNAMES_FOLDED = frozenset(fold(s) for s in SURNAMES)


def _looks_like_a_name(text: str) -> bool:
    """Two to five words of letters opening with a surname, whatever marks were misread: what a column of
    names holds (a name's own checks come after, on each value)."""
    words = text.replace(".", " ").split()
    shaped = 2 <= len(words) <= 5 and all(w.isalpha() for w in words)
    return shaped and fold(words[0]) in _SURNAMES_FOLDED


def _subject_by_contents(
    page: OcrPage, cells: dict[tuple[int, int], list[OcrWord]], head: int, mapped: Mapping, columns: Columns
) -> tuple[Mapping, str | None]:
    """An untitled column of names, left of every other column of names, holds the book's own person when
    no column does: a held-out birth book's "Họ và tên con" read "Họ và con" lost every child's name
    (seed 7900000). Offered for review, never accepted: a parent's column could stand there."""
    subject = next((name for name in SUBJECTS if name in columns), None)
    if subject is None or any(m and m[0] == subject for m in mapped.values()):
        return mapped, None
    for col in sorted(mapped):
        mapping = mapped[col]
        if mapping and mapping[1] == "name":
            return mapped, None  # another person's names stand first
        if (
            mapping
            and mapping[0].startswith("column_")
            and _mostly([_looks_like_a_name(t) for t in _column_texts(page, cells, head, col)])
        ):
            return {**mapped, col: (subject, "name")}, subject
    return mapped, None


def _headings(page: OcrPage, cells: dict[tuple[int, int], list[OcrWord]], row: int) -> dict[int, str]:
    """Column → the spouse whose heading ("CHỒNG", "Bên vợ") stands nearest above it, in the rows above the
    titles; none when the headings do not name both spouses."""
    xs = page.rules_x
    found = []
    for col in range(len(xs) - 1):
        for above in range(row):
            heading = column_field(cells.get((above, col), []), SPOUSE_HEADINGS)
            if heading:
                words = cells[(above, col)]
                found.append((sum(w.box[0] + w.box[2] for w in words) / (2 * len(words)), heading[0]))
    if len({spouse for _, spouse in found}) < 2:
        return {}
    centres = {col: (xs[col] + xs[col + 1]) / 2 for col in range(len(xs) - 1)}
    return {col: min(found, key=lambda f: abs(f[0] - x))[1] for col, x in centres.items()}


def _named(mapped: Mapping, headings: dict[int, str]) -> Mapping:
    """A name column titled for nobody ("Họ và tên"): the spouse of the heading over it, or the one spouse
    no other name column is titled for."""
    titled = {SPOUSE_COLUMN[m[0]] for m in mapped.values() if m and m[0] in SPOUSE_COLUMN}
    untitled = [p for p in ("husband_", "wife_") if p not in titled]
    named: Mapping = {}
    for col, mapping in sorted(mapped.items()):
        if mapping and mapping[0] == "*full_name":
            spouse = headings.get(col) or (untitled[0] if len(untitled) == 1 else None)
            mapping = (f"{spouse}full_name", mapping[1]) if spouse else None
            untitled = [p for p in untitled if p != spouse]
        named[col] = mapping
    return named


def _whose(mapped: Mapping, headings: dict[int, str]) -> Mapping:
    """A spouse's column titled without the spouse ("*date_of_birth") given to the spouse of the heading over
    it, else to the spouse whose name column stands before it (or, before either name, after it); with
    nothing to go by, it is unnamed."""
    spouses = [(col, SPOUSE_COLUMN[m[0]]) for col, m in sorted(mapped.items()) if m and m[0] in SPOUSE_COLUMN]
    whose: Mapping = {}
    for col, mapping in sorted(mapped.items()):
        if mapping and mapping[0].startswith("*"):
            before = [p for c, p in spouses if c < col] or [p for c, p in spouses if c > col][:1]
            spouse = headings.get(col) or (before[-1] if before else None)
            mapping = (mapping[0].replace("*", spouse), mapping[1]) if spouse else None
        whose[col] = mapping
    return whose


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
            else _cell_to_key(page, row, col)
        )
    written = any((row, col) in page.inked_cells for col in columns)
    if all(v.value is None for v in fields.values()) and not written:
        return None  # an empty ruled row
    return fields  # a row written by hand and not read is still an entry, its cells there to key


def _cell_to_key(page: OcrPage, row: int, col: int) -> FieldValue:
    """A cell nothing was read from, with its box: written in (a clerk keys it from the image) or blank."""
    xs, ys = page.rules_x, page.rules_y
    box = (xs[col], ys[row], xs[col + 1], ys[row + 1])
    written = (row, col) in page.inked_cells
    reason = "written but not read: key it from the image" if written else "blank cell: check it is empty"
    return FieldValue(None, "", 0.0, page.number, box, FieldStatus.NEEDS_REVIEW, reason, "table_cell")


def read_blocks(pages: Sequence[OcrPage], config: ExtractConfig, spec: RegisterSpec) -> list[Record]:
    """Several labelled entries a page, each read like a certificate."""
    header = _header_values(pages, config)
    records: list[Record] = []
    reading = new_reading(spec.block, config)
    lines = [(page.number, line) for page in pages for line in page.lines]
    opens = not _numbered_at_foot(spec, [line.words for _, line in lines])
    for i, (number, line) in enumerate(lines):
        following = [n.words for _, n in lines[i + 1 : i + 1 + LOOK_AHEAD]]
        if _starts_entry(reading, spec, line.words, following) or (
            opens and _number_of_next(reading, spec, line.words, following)
        ):
            records.append(_entry(reading, spec, header))
            reading = new_reading(spec.block, config)
        read_line(reading, line, number)
    if len(reading.found) >= 3:
        records.append(_entry(reading, spec, header))
    return _same_fields(records)


def _same_fields(records: list[Record]) -> list[Record]:
    """Every entry of a page holds every field one of them holds: a label the OCR lost in one entry
    ("Quốc tịch" at the end of a line) still gives that entry a field to key, found nowhere on the page."""
    names = {k for r in records for k, v in r.fields.items() if v.value is not None or v.box}
    return [Record(r.kind, {**{n: missing_field() for n in sorted(names)}, **r.fields}) for r in records]


#: Lines looked at past a field met a second time for the next labelled line.
LOOK_AHEAD = 4


def _starts_entry(
    reading: Reading, spec: RegisterSpec, words: Sequence[OcrWord], following: Sequence[Sequence[OcrWord]]
) -> bool:
    """The field an entry opens with (its first of number, name, birth date) met again starts the next
    entry; so does any other field met a second time (an entry whose first labels were worded otherwise or
    illegible is not read into the one before: its first value would stay, the rest of it be lost), unless
    the next labelled line opens an entry itself: then the field met again is a label misread inside this
    entry ("Họ và tên cha" read as "Họ và tên"), and the entry ends where it should, one line on. A line
    that also names an opening field this entry lacks starts the next one all the same: "Số: 2 Ngày đăng
    ký: …" after an entry whose own number was illegible ("SỐ: ƒï", Noto Sans Italic)."""
    if len(reading.found) < 3:
        return False
    lead = next((name for name in reading.found if name in spec.entry_keys), None)
    named = _fields_on(reading, spec, words)
    met = [name for name in named if _found_again(reading, name)]
    if lead in met or (met and any(n in spec.entry_keys and not _found_again(reading, n) for n in named)):
        return True
    return bool(met) and lead not in _next_labelled(reading, spec, following)


def _numbered_at_foot(spec: RegisterSpec, lines: Sequence[Sequence[OcrWord]]) -> bool:
    """A book that prints each entry's number under its other lines, not over them: the page's last
    labelled line names the number."""
    last = next((hits for hits in (labelled_values(w, spec.block) for w in reversed(lines)) if hits), [])
    return any(spec.entry_keys[0] in hit.label.fields.values() for hit, _ in last)


def _number_of_next(
    reading: Reading, spec: RegisterSpec, words: Sequence[OcrWord], following: Sequence[Sequence[OcrWord]]
) -> bool:
    """An entry's number opens it: a line naming the number and only fields this entry lacks, read after
    its own lines and followed by a line of fields it already holds, is the next entry's: this entry's
    own number line was lost ("Số: 65" not read over the first entry put "Số: 66" into it, and every
    number after it one entry up)."""
    named = _fields_on(reading, spec, words)
    if not named or spec.entry_keys[0] not in named or any(_found_again(reading, n) for n in named):
        return False
    return len(reading.found) >= 3 and any(
        _found_again(reading, n) for n in _next_labelled(reading, spec, following)
    )


def _fields_on(reading: Reading, spec: RegisterSpec, words: Sequence[OcrWord]) -> list[str]:
    """The fields a line's labels name (labels that mean one field whatever the section, or an entry's
    opening field). A label of several people is the current person's while that one's field is unread
    (the wife's "Họ, chữ đệm, tên" after her heading), else the entry's first person's."""
    names = []
    for hit, _ in labelled_values(words, spec.block, reading.section):
        name = hit.label.field_in(reading.section)
        if not name or _found_again(reading, name):
            name = hit.label.field_in(spec.block.start_section)
        if name and (name in spec.entry_keys or len(hit.label.fields) == 1):
            names.append(name)
    return names


def _next_labelled(reading: Reading, spec: RegisterSpec, following: Sequence[Sequence[OcrWord]]) -> list[str]:
    return next((names for names in (_fields_on(reading, spec, w) for w in following) if names), [])


def _found_again(reading: Reading, name: str) -> bool:
    return name not in PAGE_FIELDS and reading.found.get(name, missing_field()).method != "none"


def _entry(reading: Reading, spec: RegisterSpec, header: dict[str, FieldValue]) -> Record:
    record = finish(reading)
    # every field the entry holds a place for (read, or labelled with its value unread) is one to key
    fields = {k: v for k, v in record.fields.items() if v.value is not None or v.box or k in spec.fields}
    for name in PAGE_FIELDS:
        if fields.get(name, missing_field()).value is None and name in header:
            fields[name] = header[name]
    return Record(spec.kind, fields)
