"""Stage `reread`: personal IDs, years, dates and places' numbers read a second time before they are accepted.

A personal ID is the key the repository finds a person by, and nothing checks its last six digits: a digit
misread with confidence ("030181936515" read "030181956515", accepted at 0.9+) files the record under
somebody else. So every ID about to be accepted is read again from its own box, alone, as one line and at
three quarters of the size (other pixels, other segmentation than the page pass); unless both readings give
the same digits it goes to a person. On the 43 IDs accepted in the tuning set (all right) the second
reading agreed every time at 0.75 and 1.0, and disagreed with 4 right ones at 1.5 (enlarging invents
strokes: 3 read as 5, 0 as 8) and with 7 at 2.0. Years and dates are read the same way against the digits
of the text they were read from: on a tuning set with typewritten values the second reading agreed with
every right one and caught the one misread (5 % more time per page). So are the hamlet and house numbers
of a place on one line, which no list checks ("xóm 10" read "xóm 19" at 0.93 was accepted): on 105 such
places of the tuning and a spent held-out set, the second reading agreed with every one on one line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from digitize.config import ExtractConfig
from digitize.extract import SECOND_READING_DISAGREES, distrust_misread_figures
from digitize.extract.normalize import kind_of
from digitize.extract.place_checks import PLACE_FIELDS
from digitize.extract.verdicts import needs_review
from digitize.model import FieldStatus, FieldValue, ImageArray, PageImage, Record, as_image
from digitize.ports import OcrEngine
from digitize.stages.clean import binarize, drop_low_specks, to_gray, undot_zeros
from digitize.stages.ocr import enlargement, read_scaled

#: Kinds of values read twice: IDs, and years and dates, which nothing else checks digit by digit (a
#: typewriter's dotted zero read "1990" as "1999" at 0.86; read again alone it gave 1990).
REREAD = frozenset(("personal_id", "year", "date"))
#: A place's box taller than this at 300 dpi holds two lines (one line of 10–14 pt text with its marks: 32–66
#: px in the tuning set; wrapped places 77 px and more), which read as one line disagree half the time.
ONE_LINE_PX = 72
#: Pixels of page kept round the value's box, and the scale of the second reading.
MARGIN_PX, SCALE = 12, 0.75
#: Height of an ID's box at 300 dpi (29–37 px in the tuning set): a smaller print (a 100 dpi page) is read
#: at three quarters of the size it would have there, as the page pass reads it enlarged.
DIGITS_PX, SMALL_SHARE = 32.0, 0.7
#: A second reading that lost or gained figures is no opinion: "1979" read "1D)" at 0.0 at SCALE (right
#: at 0.6–0.9 of the size), and in FreeSerif (a probe) an ID's "038" read "03", a time's "17 phút" read
#: "7", a place read as nothing. The number is then read a third time at RETRY_SCALE before the two
#: readings are compared; two readings that give as many figures but other ones still disagree.
RETRY_SCALE = 0.6
#: Marks no larger than this share of the number's height, in its lowest such share or under it, are no
#: figure: a value typed on a form's dotted leader was read again as nothing with the dots under it.
SPECK_SHARE = 0.3


def reread_ids(
    engine: OcrEngine, images: Mapping[int, PageImage], records: Sequence[Record], config: ExtractConfig
) -> list[Record]:
    """The records with every accepted personal ID, year, date and one-line place number confirmed by a
    second reading, or sent to review; and when several disagree, the document's other numbers too."""
    checked = [
        replace(
            record,
            fields={name: _checked(engine, images, name, fv, config) for name, fv in record.fields.items()},
        )
        for record in records
    ]
    return distrust_misread_figures(checked, config)


def _checked(
    engine: OcrEngine, images: Mapping[int, PageImage], name: str, fv: FieldValue, config: ExtractConfig
) -> FieldValue:
    kind = kind_of(name)
    place = name.endswith(PLACE_FIELDS)
    if fv.status is not FieldStatus.ACCEPTED or not (kind in REREAD or (place and _has_digit(fv.raw_text))):
        return fv
    image = images.get(fv.page or 0)
    if image is None or fv.box is None:
        return needs_review(fv, "the number could not be read a second time (no box)", config)
    if place and fv.box[3] - fv.box[1] > ONE_LINE_PX * image.dpi / 300:
        return fv  # a wrapped place is no line to read again: its hamlet number stays unchecked
    first = "".join(ch for ch in fv.raw_text if ch.isdigit()) if kind != "personal_id" else fv.value or ""
    again = read_digits(engine, image, fv.box, first)
    if again == first:
        return fv
    return needs_review(fv, f"{SECOND_READING_DISAGREES} {again or 'nothing'}", config)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def read_digits(engine: OcrEngine, image: PageImage, box: tuple[int, int, int, int], first: str = "") -> str:
    """The digits the engine reads in `box` of the page, the box alone, as one line, at SCALE of the size
    the number would have at 300 dpi; given the `first` reading's figures, once more at RETRY_SCALE when
    that reading has another count of figures."""
    gray = _number_alone(image, box)
    if gray is None:
        return ""
    size = enlargement(max(1, box[3] - box[1]), DIGITS_PX, SMALL_SHARE * DIGITS_PX)
    text = ""
    for scale in (SCALE, RETRY_SCALE) if first else (SCALE,):
        text = "".join(w.text for w in read_scaled(engine, gray, image.dpi, scale * size))
        if sum(ch.isdigit() for ch in text) == len(first):
            break
    return "".join(ch for ch in text if ch.isdigit())


def _number_alone(image: PageImage, box: tuple[int, int, int, int]) -> ImageArray | None:
    """The grey box with MARGIN_PX of page round it, the dots of typewriter zeros and the specks under
    the figures painted out (a number's box is as tall as its figures); None when it is empty."""
    x0, y0, x1, y1 = box
    rows, cols = image.pixels.shape[:2]
    top, left = max(0, y0 - MARGIN_PX), max(0, x0 - MARGIN_PX)
    crop = image.pixels[top : min(rows, y1 + MARGIN_PX), left : min(cols, x1 + MARGIN_PX)]
    if crop.size == 0:
        return None
    gray, size = to_gray(as_image(crop.copy())), y1 - y0
    bw = binarize(gray)
    undot_zeros(gray, bw, size)
    drop_low_specks(gray, bw, SPECK_SHARE * size, y0 - top + (1 - SPECK_SHARE) * size)
    return gray
