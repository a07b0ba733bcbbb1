"""Every form version offices scan, generated, scanned (clean) and read by the real pipeline (Tesseract):
typed papers are typed right, read right and nothing wrong is accepted; a hand-filled page accepts
nothing it cannot read."""

from __future__ import annotations

import io
import random
import unicodedata
from dataclasses import replace
from typing import Any

import pytest

from digitize.config import Config
from digitize.engines import build_engine
from digitize.model import FieldStatus, SourceDocument
from digitize.pipeline import digitize_document
from samplegen.forms import Generated
from samplegen.sets import MAKERS
from samplegen.style import TUNE, make_style


@pytest.fixture(scope="module")
def ocr() -> Any:
    return build_engine(Config().ocr)


def run(generated: Generated, ocr: Any) -> tuple[Any, list[tuple[str, str, str | None, bool]]]:
    """The document as the pipeline reads it, and per truth value: (field, truth, value read, accepted)."""
    buffer = io.BytesIO()
    images = [sheet.image.convert("L") for sheet in generated.sheets]
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:], dpi=(300, 300))
    result = digitize_document(SourceDocument("generated.tif", buffer.getvalue()), Config(), ocr, None)
    values = []
    for i, truth in enumerate(generated.records):
        record = result.records[i] if i < len(result.records) else None
        for name, expected in truth.items():
            fv = record.fields.get(name) if record else None
            read = unicodedata.normalize("NFC", fv.value) if fv and fv.value else None
            values.append((name, expected, read, bool(fv and fv.status is FieldStatus.ACCEPTED)))
    return result, values


@pytest.mark.parametrize("version", sorted(MAKERS))
def test_each_typed_version_is_read(version: str, ocr: Any) -> None:
    rng = random.Random(f"typed-{version}")
    generated = MAKERS[version](rng, make_style(rng, TUNE, hand=False))
    result, values = run(generated, ocr)
    assert result.document_type == generated.document_type
    assert result.form.version == version, result.form.cues
    if version.startswith("birth"):  # since 2016 the mother comes first, in the 2010 era the father
        assert result.form.parents == ("mother_first" if "2016" in version else "father_first")
    assert (result.form.value_columns == 2) == (version == "marriage_2016_certificate")
    # the sentence "Đã chết vào lúc …" is a death paper's or a death book entry's, not a table column's
    assert result.form.death_sentence == (version.startswith("death") and not version.endswith("table"))
    right = [v for v in values if v[1] == v[2]]
    wrong_accepted = [v for v in values if v[3] and v[1] != v[2]]
    assert wrong_accepted == []
    assert len(right) >= 0.75 * len(values), [v for v in values if v[1] != v[2]]


@pytest.mark.parametrize(
    "version",
    ["birth_2010_certificate", "birth_older_certificate", "register_blocks", "death_register_table"],
)
def test_a_hand_filled_page_accepts_nothing_it_cannot_read(version: str, ocr: Any) -> None:
    rng = random.Random(f"hand-{version}")
    generated = MAKERS[version](rng, make_style(rng, TUNE, hand=True))
    result, values = run(generated, ocr)
    assert result.document_type == generated.document_type
    assert [v for v in values if v[3] and v[1] != v[2]] == []
    unread = [v for v in values if not v[3]]
    assert unread, "handwriting read perfectly is not what this page is for"
    assert len(result.records) == len(generated.records)  # every entry is still a record, to key by hand


def test_a_page_of_about_100_dpi_is_read_enlarged(ocr: Any) -> None:
    """A third of the size (a scan at 100 dpi, a phone photo from afar): the page is read enlarged to the
    letter size Tesseract reads best, with the boxes back in the page's pixels, and the IDs are read again at
    the size they would have at 300 dpi. Read as scanned, this register page gave 76 of its 77 values right
    and accepted 53; the IDs read again at the small size disagreed with the right ones."""
    rng = random.Random("typed-small-2")
    style = make_style(rng, TUNE, hand=False)
    # the page this test was written on: values in the form's own face (this seed now draws a typewriter
    # face, whose zeros at 100 dpi read as 9 and go to review: docs/known-gaps.md)
    style = replace(style, value_font=style.font, leaders=False)
    generated = MAKERS["register_table"](rng, style)
    sheet = generated.sheets[0].image.convert("L")
    small = sheet.resize((sheet.width // 3, sheet.height // 3))
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", dpi=(100, 100))
    result = digitize_document(SourceDocument("small.png", buffer.getvalue()), Config(), ocr, None)
    values = [
        (name, expected, result.records[i].fields.get(name))
        for i, truth in enumerate(generated.records)
        for name, expected in truth.items()
    ]
    wrong = [(n, e, fv.value if fv else None) for n, e, fv in values if not fv or fv.value != e]
    accepted = [fv for _, _, fv in values if fv and fv.status is FieldStatus.ACCEPTED]
    assert [fv for fv in accepted if fv.value not in {e for _, e, v in values if v is fv}] == []
    assert len(wrong) <= 0.02 * len(values), wrong
    assert len(accepted) >= 0.9 * len(values)
    boxes = [fv.box for fv in accepted if fv.box]
    assert boxes and all(b[2] <= small.width and b[3] <= small.height for b in boxes)


@pytest.mark.parametrize("version", ["birth_2016_extract", "marriage_2016_certificate"])
def test_a_paper_registered_since_july_2025_is_read_in_the_current_units(version: str, ocr: Any) -> None:
    """Written with communes and the 34 provinces, no districts: its places are accepted and matched to
    the current units (they all went to review as names of no unit before)."""
    for seed in range(100):
        rng = random.Random(f"recent-{version}-{seed}")
        generated = MAKERS[version](rng, make_style(rng, TUNE, hand=False))
        if "huyện" not in str(generated.records) and "quận" not in str(generated.records):
            break
    result, values = run(generated, ocr)
    places = [v for v in values if v[0].endswith(("residence", "place_of_birth", "registration_office"))]
    assert places and all(v[3] and v[1] == v[2] for v in places), places
    assert [v for v in values if v[3] and v[1] != v[2]] == []
    units = [dict(fv.unit) for fv in result.records[0].fields.values() if fv.unit]
    assert units and all("current_commune" in u and "district" not in u for u in units), units
