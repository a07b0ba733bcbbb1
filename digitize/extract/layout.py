"""Which form a document is: the paper (certificate, extract, register table or blocks), the era of its
wordings (since 2016, the 2010 era, older), the order of the parents, value columns and the death sentence.

Read from the page as a clerk tells the versions apart (`../shared/domain.md`, "Form versions"): the title
names the paper; each era has wordings the others do not print ("Họ, chữ đệm, tên" and "Số định danh cá
nhân" since 2016; "Nơi thường trú/tạm trú", "Số Giấy CMND/Hộ chiếu" and "Quan hệ với người được khai sinh"
in the 2010 era; "Họ tên", "Trú quán" before); the boxes of the values found give the order of the parents
and the columns. Every decision keeps its cues, so a wrong one can be traced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz

from digitize.extract.labels import compact
from digitize.model import DocumentType, FieldValue, FormLayout, OcrPage, Record

#: Titles (as printed, in capitals) → the paper they head.
TITLES = (
    ("Trích lục khai sinh", "extract"),
    ("Trích lục khai tử", "extract"),
    ("Trích lục kết hôn", "extract"),
    ("Giấy khai sinh", "certificate"),
    ("Giấy chứng tử", "certificate"),
    ("Giấy chứng nhận kết hôn", "certificate"),
)
#: Wordings only one era printed → that era.
ERA_CUES = (
    ("Họ, chữ đệm, tên", "2016"),
    ("Số định danh cá nhân", "2016"),
    ("Nơi cư trú", "2016"),
    ("Giấy tờ tùy thân", "2016"),
    ("Nơi thường trú/tạm trú", "2010"),
    ("Số Giấy CMND/Hộ chiếu", "2010"),
    ("Quan hệ với người được khai sinh", "2010"),
    ("Họ và tên chồng", "2010"),
    ("Họ và tên vợ", "2010"),
    ("Giấy chứng tử", "2010"),
    ("Trú quán", "older"),
    ("Nguyên quán", "older"),
)
DEATH_SENTENCE = compact("Đã chết vào lúc")
#: Share of similarity a cue needs on a line (OCR drops or changes a letter now and then).
CUE_SCORE = 90.0
KINDS = {
    DocumentType.BIRTH_REGISTRATION: "birth",
    DocumentType.DEATH_REGISTRATION: "death",
    DocumentType.MARRIAGE_REGISTRATION: "marriage",
}


def recognise_form(doc_type: DocumentType, pages: Sequence[OcrPage], records: Sequence[Record]) -> FormLayout:
    """The layout of a civil-status paper; an empty one for other documents."""
    lines = [compact(line.text) for page in pages for line in page.text_lines]
    if doc_type is DocumentType.BIRTH_REGISTER_PAGE:
        return _register(lines, records)
    if doc_type not in KINDS:
        return FormLayout()
    paper, cues = _paper(lines)
    era, era_cues = _era(lines)
    first = records[0].fields if records else {}
    return FormLayout(
        kind=KINDS[doc_type],
        paper=paper,
        era=era,
        parents=_parents(first),
        value_columns=2 if _side_by_side(first.get("wife_full_name"), first.get("husband_full_name")) else 1,
        death_sentence=any(_found(DEATH_SENTENCE, line) for line in lines),
        entries=len(records),
        cues=(*cues, *era_cues),
    )


def _register(lines: list[str], records: Sequence[Record]) -> FormLayout:
    table = any(fv.method == "table_cell" for r in records for fv in r.fields.values())
    era, cues = _era(lines)
    return FormLayout(
        kind="birth",
        paper="register_table" if table else "register_blocks",
        era=era,
        entries=len(records),
        cues=("ruled table" if table else "labelled blocks", *cues),
    )


def _found(cue: str, line: str) -> bool:
    if len(cue) > len(line) + 2:
        return False
    return cue in line or (len(cue) >= 8 and fuzz.partial_ratio(cue, line) >= CUE_SCORE)


def _paper(lines: list[str]) -> tuple[str | None, tuple[str, ...]]:
    for title, paper in TITLES:
        if any(_found(compact(title), line) for line in lines):
            return paper, (f"title {title}",)
    return None, ()


def _era(lines: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """The era most of the cues on the page point to (none when no cue is found or the cues tie)."""
    seen = [(w, era) for w, era in ERA_CUES if any(_found(compact(w), line) for line in lines)]
    cues = tuple(f"wording {w}" for w, _ in seen)
    ranked = Counter(era for _, era in seen).most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None, cues
    return ranked[0][0], cues


def _parents(fields: dict[str, FieldValue]) -> str | None:
    """Mother first (since 2016) or father first (2010 era), from where their names stand."""
    mother, father = fields.get("mother_full_name"), fields.get("father_full_name")
    if not (mother and father and mother.box and father.box) or mother.page != father.page:
        return None
    return "mother_first" if mother.box[1] < father.box[1] else "father_first"


def _side_by_side(a: FieldValue | None, b: FieldValue | None) -> bool:
    """Two values on one line (their boxes overlap in height): the marriage certificate's columns."""
    if not (a and b and a.box and b.box) or a.page != b.page:
        return False
    return min(a.box[3], b.box[3]) > max(a.box[1], b.box[1])
