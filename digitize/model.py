"""Typed data passed between stages. Stages take and return these; nothing here does I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

ImageArray = npt.NDArray[np.uint8]
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the page image the OCR ran on

#: Version of the field extraction, stored with every document so re-extraction can be targeted.
EXTRACTOR_VERSION = "0.2.0"


class DocumentType(StrEnum):
    BIRTH_REGISTRATION = "birth_registration"
    BIRTH_REGISTER_PAGE = "birth_register_page"
    DEATH_REGISTER_PAGE = "death_register_page"
    MARRIAGE_REGISTER_PAGE = "marriage_register_page"
    DEATH_REGISTRATION = "death_registration"
    MARRIAGE_REGISTRATION = "marriage_registration"
    ADMINISTRATIVE_DOCUMENT = "administrative_document"
    UNKNOWN = "unknown"

    @property
    def is_register_page(self) -> bool:
        return self.value.endswith("_register_page")


class FieldStatus(StrEnum):
    ACCEPTED = "accepted"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True, eq=False)
class SourceDocument:
    """Bytes of one input document as handed in, with the name it is known by."""

    name: str
    data: bytes


@dataclass(frozen=True, eq=False)
class PageImage:
    """One page as pixels (RGB, uint8), with its resolution and how that resolution is known."""

    number: int
    pixels: ImageArray
    dpi: float
    dpi_estimated: bool = False

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


@dataclass(frozen=True)
class Geometry:
    """What the geometry stages did to a page: quarter turns, skew, perspective correction."""

    rotation: int = 0  # degrees clockwise applied to make the page upright: 0, 90, 180, 270
    skew_deg: float = 0.0  # measured skew of the text lines (positive: counter-clockwise)
    flattened: bool = False  # a page quadrilateral was found and perspective corrected
    orientation_confidence: float = 1.0


@dataclass(frozen=True)
class OcrWord:
    text: str
    box: Box
    confidence: float  # 0..1
    line_key: tuple[int, int, int]  # block, paragraph, line as the engine grouped them
    pen: bool = False  # written in coloured (blue) ink: by hand on a printed form; never auto-accepted


@dataclass(frozen=True)
class OcrLine:
    words: tuple[OcrWord, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return union_box(w.box for w in self.words)

    @property
    def unread_marks(self) -> bool:
        """All pen ink, read at under UNREAD_PEN_CONFIDENCE: a signature or handwriting the OCR could not
        read ("SIj", "x“ x" for the scribble of a signature). Its words stay, with their boxes, for the
        extractor and the keying station; the page's text and the PDF's text layer leave it out."""
        mean = sum(w.confidence for w in self.words) / max(1, len(self.words))
        return all(w.pen for w in self.words) and mean < UNREAD_PEN_CONFIDENCE


#: Mean word confidence under which a line written wholly in pen is marks, not text. On the benchmark's
#: skewed and turned pages every signature read as such a line, at 0.00–0.53 (one at 0.65: "`. `...").
UNREAD_PEN_CONFIDENCE = 0.6


@dataclass(frozen=True, eq=False)
class OcrPage:
    """Words found on one (upright, deskewed) page image, in the engine's reading order."""

    number: int
    width: int
    height: int
    words: tuple[OcrWord, ...]
    confidence: float  # mean word confidence, 0..1; 0 for an empty page
    rules_x: tuple[int, ...] = ()  # x of vertical ruled lines (table columns), if any
    rules_y: tuple[int, ...] = ()  # y of horizontal ruled lines (table rows), if any
    #: Table cells (row, column between the rules) holding ink, read or not: a hand-filled entry the OCR
    #: could not read still becomes a record whose cells are there to key.
    inked_cells: frozenset[tuple[int, int]] = frozenset()

    @property
    def lines(self) -> tuple[OcrLine, ...]:
        grouped: dict[tuple[int, int, int], list[OcrWord]] = {}
        for word in self.words:
            grouped.setdefault(word.line_key, []).append(word)
        return tuple(OcrLine(tuple(ws)) for ws in grouped.values())

    @property
    def text_lines(self) -> tuple[OcrLine, ...]:
        """The lines that are text: all but the pen marks the OCR could not read."""
        return tuple(line for line in self.lines if not line.unread_marks)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.text_lines)


@dataclass(frozen=True, eq=False)
class ProcessedPage:
    """A page after geometry and OCR: the image the PDF shows and the words aligned to it."""

    image: PageImage
    geometry: Geometry
    ocr: OcrPage
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldValue:
    """One extracted value with its confidence and provenance (page and box on that page)."""

    value: str | None
    raw_text: str
    confidence: float
    page: int | None
    box: Box | None
    status: FieldStatus
    reason: str = ""
    method: str = "label"  # how the value was found: label, table_cell, header, derived
    unit: tuple[tuple[str, str], ...] = ()  # for places: the administrative unit matched, old and current


@dataclass(frozen=True)
class Record:
    """One civil-status event or document description: field name → value."""

    kind: str  # birth, death, marriage, document
    fields: dict[str, FieldValue] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        fv = self.fields.get(name)
        return fv.value if fv else None


@dataclass(frozen=True)
class FormLayout:
    """Which form a document is, as read from its page: the paper, the era of its wordings, the order of
    the parents, value columns, the death sentence, and the entries a register page holds; with the cues
    that decided it."""

    kind: str | None = None  # birth, death, marriage
    paper: str | None = None  # certificate, extract, register_table, register_blocks
    era: str | None = None  # 2016, 2010, older (the wordings of that period)
    parents: str | None = None  # mother_first, father_first
    value_columns: int = 1  # 2: the marriage certificate's wife and husband columns
    death_sentence: bool = False  # "Đã chết vào lúc … giờ … phút, ngày … tháng … năm …"
    entries: int = 0
    cues: tuple[str, ...] = ()

    @property
    def version(self) -> str | None:
        """The form version, as `samplegen` and the score name it (birth_2016_extract, register_table for
        the birth book, death_register_blocks for another book)."""
        if self.paper and self.paper.startswith("register"):
            return self.paper if self.kind == "birth" else f"{self.kind}_{self.paper}"
        if self.kind and self.era and self.paper:
            return f"{self.kind}_{self.era}_{self.paper}"
        return None

    def as_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "kind": self.kind,
            "paper": self.paper,
            "era": self.era,
            "parents": self.parents,
            "value_columns": self.value_columns,
            "death_sentence": self.death_sentence,
            "entries": self.entries,
            "cues": list(self.cues),
        }


@dataclass(frozen=True)
class SignatureSummary:
    valid: bool
    signer: str
    level: str = "B-B"
    detail: str = ""
    warnings: tuple[str, ...] = ()  # e.g. the TSA did not answer and the copy was signed B-B


@dataclass(frozen=True, eq=False)
class DocumentResult:
    """Everything `digitize_document` produced for one input document."""

    source: str
    sha256: str
    document_type: DocumentType
    pages: tuple[ProcessedPage, ...]
    records: tuple[Record, ...]
    metadata: dict[str, str | None]
    pdf: bytes
    signature: SignatureSummary | None
    errors: tuple[str, ...] = ()
    seconds: float = 0.0
    form: FormLayout = field(default_factory=FormLayout)


def as_image(array: object) -> ImageArray:
    """An OpenCV/numpy result as the uint8 image type stages pass around."""
    return np.asarray(array, dtype=np.uint8)


def union_box(boxes: Iterable[Box]) -> Box:
    """The smallest box holding every given box; (0, 0, 0, 0) for none."""
    listed = list(boxes)
    if not listed:
        return (0, 0, 0, 0)
    return (
        min(b[0] for b in listed),
        min(b[1] for b in listed),
        max(b[2] for b in listed),
        max(b[3] for b in listed),
    )
