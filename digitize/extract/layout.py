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

#: Titles (as printed, in capitals) of each kind of paper → the paper they head.
TITLES = {
    "birth": (("Trích lục khai sinh", "extract"), ("Giấy khai sinh", "certificate")),
    "death": (("Trích lục khai tử", "extract"), ("Giấy chứng tử", "certificate")),
    "marriage": (("Trích lục kết hôn", "extract"), ("Giấy chứng nhận kết hôn", "certificate")),
}
#: Wordings only one era printed → that era (for papers of one kind, or of any).
ERA_CUES: tuple[tuple[str, str, str | None], ...] = (
    ("Họ, chữ đệm, tên", "2016", None),
    ("Số định danh cá nhân", "2016", None),
    ("Nơi cư trú", "2016", None),
    ("Giấy tờ tùy thân", "2016", None),
    ("Nơi thường trú/tạm trú", "2010", None),
    ("Số Giấy CMND/Hộ chiếu", "2010", None),
    ("Số CMND", "2010", None),  # the identity card of before the personal ID, as a label
    ("Số chứng minh nhân dân", "2010", None),
    ("Quan hệ với người được khai sinh", "2010", "birth"),
    ("Họ và tên chồng", "2010", "marriage"),
    ("Họ và tên vợ", "2010", "marriage"),
    ("Họ tên chồng", "2010", "marriage"),
    ("Họ tên vợ", "2010", "marriage"),
    ("Giấy chứng tử", "2010", "death"),
    ("Trú quán", "older", None),
    ("Nguyên quán", "older", None),
    ("Nam hay nữ", "older", "birth"),
    ("Trai hay gái", "older", "birth"),
    ("Nghề nghiệp", "older", None),
    ("Người đứng khai", "older", None),
)
DEATH_SENTENCE = compact("Đã chết vào lúc")
#: A cue this long (compact letters) may differ from the line by an OCR slip (CUE_SCORE similarity); a
#: shorter one must be there letter for letter: "Họ và tên chồng" is one letter from "Họ và tên cha" and
#: the start of a name ("hovatenchang…").
FUZZY_CUE, CUE_SCORE = 14, 92.0
KINDS = {
    DocumentType.BIRTH_REGISTRATION: "birth",
    DocumentType.DEATH_REGISTRATION: "death",
    DocumentType.MARRIAGE_REGISTRATION: "marriage",
}
REGISTER_KINDS = {
    DocumentType.BIRTH_REGISTER_PAGE: "birth",
    DocumentType.DEATH_REGISTER_PAGE: "death",
    DocumentType.MARRIAGE_REGISTER_PAGE: "marriage",
}


def recognise_form(doc_type: DocumentType, pages: Sequence[OcrPage], records: Sequence[Record]) -> FormLayout:
    """The layout of a civil-status paper; an empty one for other documents."""
    # a cue never runs over a colon: "Họ và tên: VÕ THU HƯƠNG" is a label and a surname, not "Họ và tên vợ"
    lines = [compact(part) for page in pages for line in page.text_lines for part in line.text.split(":")]
    if doc_type in REGISTER_KINDS:
        return _register(lines, records, REGISTER_KINDS[doc_type])
    if doc_type not in KINDS:
        return FormLayout()
    kind = KINDS[doc_type]
    first = records[0].fields if records else {}
    columns = 2 if _side_by_side(first.get("wife_full_name"), first.get("husband_full_name")) else 1
    paper, cues = _paper(lines, kind)
    # the two value columns are the marriage certificate of 2016 on ("Bên nữ | Bên nam")
    era, era_cues = _era(lines, kind, ("two value columns",) if columns == 2 else ())
    return FormLayout(
        kind=kind,
        paper=paper,
        era=era,
        parents=_parents(first),
        value_columns=columns,
        death_sentence=_death_sentence(lines),
        entries=len(records),
        cues=(*cues, *era_cues),
    )


def _register(lines: list[str], records: Sequence[Record], kind: str) -> FormLayout:
    table = any(fv.method == "table_cell" for r in records for fv in r.fields.values())
    era, cues = _era(lines, kind)
    return FormLayout(
        kind=kind,
        paper="register_table" if table else "register_blocks",
        era=era,
        death_sentence=kind == "death" and _death_sentence(lines),
        entries=len(records),
        cues=("ruled table" if table else "labelled blocks", *cues),
    )


def _death_sentence(lines: list[str]) -> bool:
    return any(_found(DEATH_SENTENCE, line, fuzzy_from=len(DEATH_SENTENCE)) for line in lines)


def _found(cue: str, line: str, fuzzy_from: int = FUZZY_CUE) -> bool:
    """The cue on the line, letter for letter or (a cue of `fuzzy_from` letters and more) with one OCR slip
    ("Đã chất vào lúc": the sentence is like nothing else on a page)."""
    if cue in line:
        return True
    one_slip = min(CUE_SCORE, 100.0 * (1 - 1 / len(cue)) - 0.01)  # a letter changed: 2 edits of 2 × len
    return len(cue) >= fuzzy_from and len(cue) <= len(line) + 2 and fuzz.partial_ratio(cue, line) >= one_slip


def _paper(lines: list[str], kind: str) -> tuple[str | None, tuple[str, ...]]:
    for title, paper in TITLES[kind]:
        if any(_found(compact(title), line) for line in lines):
            return paper, (f"title {title}",)
    return None, ()


def _era(lines: list[str], kind: str, layout: tuple[str, ...] = ()) -> tuple[str | None, tuple[str, ...]]:
    """The era most of the cues on the page point to (none when no cue is found or the cues tie); a layout
    cue (two value columns) counts for 2016."""
    seen = [
        (w, era)
        for w, era, only in ERA_CUES
        if only in (None, kind) and any(_found(compact(w), line) for line in lines)
    ]
    seen += [(cue, "2016") for cue in layout]
    cues = tuple(f"wording {w}" if w not in layout else w for w, _ in seen)
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
