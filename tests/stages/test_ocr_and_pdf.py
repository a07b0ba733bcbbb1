"""Real Tesseract `vie` on a real page, and the PDF/A-2b it becomes."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from digitize.config import Config
from digitize.engines import build_engine
from digitize.engines.tesseract import TesseractEngine
from digitize.engines.tesseract_api import TesserocrEngine
from digitize.errors import ProcessingError
from digitize.model import SourceDocument
from digitize.pipeline import PageTask, read_page
from digitize.ports import OcrEngine
from digitize.stages.build_pdf import PdfPage, build_pdf
from digitize.stages.load import load
from tests.conftest import SAMPLES, truth


def _process(engine: OcrEngine, name: str = "birth_extract_clean.png") -> object:
    source = SourceDocument(name, (SAMPLES / name).read_bytes())
    return read_page(PageTask(load(source, Config().load)[0], engine, 200))


@pytest.fixture(scope="module")
def page() -> object:
    return _process(build_engine(Config().ocr))


def _cer(found: str, expected: str) -> float:
    import difflib

    a, b = " ".join(found.split()), " ".join(expected.split())
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal") / len(b)


def test_vietnamese_ocr_of_a_clean_scan_is_accurate(page: object) -> None:
    expected = truth("birth_extract_clean.png")["pages"][0]["text"]
    assert _cer(page.ocr.text, expected) < 0.005  # type: ignore[attr-defined]
    assert "TRÍCH LỤC KHAI SINH" in page.ocr.text  # type: ignore[attr-defined]
    assert page.ocr.confidence > 0.85  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["birth_extract_skewed.png", "death_extract_rotated90.png"])
def test_the_in_process_and_the_command_line_engine_read_alike(name: str) -> None:
    """Both engines behind `OcrEngine` read a skewed and a turned scan within 1 % CER; the in-process one
    (the default, Tesseract 5.5 from the tesserocr wheel) is no worse than the `tesseract` command."""
    expected = truth(name)["pages"][0]["text"]
    in_process, command = (
        _cer(_process(e, name).ocr.text, expected) for e in (TesserocrEngine(), TesseractEngine())
    )  # type: ignore[attr-defined]
    assert in_process < 0.01 and command < 0.01
    assert in_process <= command + 0.001


def test_the_in_process_engine_stops_at_its_timeout() -> None:
    source = SourceDocument("b.png", (SAMPLES / "birth_register_page_clean.png").read_bytes())
    gray = load(source, Config().load)[0].pixels[..., 0].copy()
    with pytest.raises(ProcessingError, match="did not finish within"):
        TesserocrEngine(timeout_s=0.05).read_words(gray, 300)
    assert TesserocrEngine().read_words(gray[:400, :2000].copy(), 300)  # the same API works afterwards


@pytest.fixture(scope="module")
def pdf_bytes(page: object) -> bytes:
    meta = {
        "TypeName": "Trích lục khai sinh",
        "CodeNumber": "206",
        "Subject": "Trích lục khai sinh của Lý Thanh Hà",
    }
    return build_pdf([PdfPage(page.image, page.ocr)], meta)  # type: ignore[attr-defined]


def test_pdfa_markers_and_output_intent(pdf_bytes: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        assert not pdf.is_encrypted
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "B"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1
        assert len(intent.DestOutputProfile.read_bytes()) > 300
        assert "/JavaScript" not in str(pdf.Root.keys())
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "Trích lục khai sinh" in xmp and "CodeNumber" in xmp


def test_fonts_are_embedded(pdf_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, listing
    assert all(" yes " in row for row in rows), listing


def test_text_layer_is_extractable_in_reading_order(pdf_bytes: bytes, tmp_path: Path) -> None:
    text = PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()
    assert "Họ, chữ đệm, tên" in text
    assert text.index("TRÍCH LỤC KHAI SINH") < text.index("Quyển số")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Số định danh cá nhân" in poppler
