from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageOps

from digitize.config import LoadConfig
from digitize.errors import InputError
from digitize.model import SourceDocument
from digitize.stages.load import load, sniff_format
from tests.conftest import SAMPLES


def _png(width: int, height: int, dpi: int | None = 300) -> bytes:
    buffer = io.BytesIO()
    kwargs = {"dpi": (dpi, dpi)} if dpi else {}
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG", **kwargs)
    return buffer.getvalue()


def test_sniffs_content_not_name() -> None:
    assert sniff_format(_png(20, 20)) == "png"
    assert sniff_format(b"%PDF-1.7\n...") == "pdf"
    assert sniff_format(b"hello") is None


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"", "empty"),
        (b"just some text\n", "not a PNG, JPEG, TIFF or PDF"),
        ((SAMPLES / "birth_extract_rotated180.jpg").read_bytes()[:20000], "truncated"),
    ],
)
def test_bad_files_name_the_file_and_the_fix(data: bytes, phrase: str) -> None:
    with pytest.raises(InputError) as caught:
        load(SourceDocument("scan.png", data), LoadConfig())
    assert phrase in str(caught.value)
    assert str(caught.value).startswith("scan.png: ")
    assert caught.value.fix


def test_encrypted_pdf_is_refused() -> None:
    buffer = io.BytesIO()
    with pikepdf.open(SAMPLES / "admin_letter_2pages.pdf") as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(InputError, match="encrypted"):
        load(SourceDocument("locked.pdf", buffer.getvalue()), LoadConfig())


def test_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(InputError, match="decompression bomb"):
        load(SourceDocument("huge.png", _png(3000, 3000)), replace(LoadConfig(), max_pixels=1_000_000))


def test_tiny_page_is_refused() -> None:
    with pytest.raises(InputError, match="1×1 pixels"):
        load(SourceDocument("dot.png", _png(1, 1)), LoadConfig())


def test_multipage_tiff_and_pdf_give_every_page() -> None:
    tiff = load(SourceDocument("m.tif", (SAMPLES / "marriage_extract_2pages.tif").read_bytes()), LoadConfig())
    pdf = load(SourceDocument("a.pdf", (SAMPLES / "admin_letter_2pages.pdf").read_bytes()), LoadConfig())
    assert [p.number for p in tiff] == [1, 2]
    assert [p.number for p in pdf] == [1, 2]
    assert pdf[0].pixels.shape[2] == 3


def test_missing_or_implausible_dpi_is_marked_estimated() -> None:
    assert load(SourceDocument("a.png", _png(50, 50, dpi=None)), LoadConfig())[0].dpi_estimated
    assert not load(SourceDocument("b.png", _png(50, 50, dpi=300)), LoadConfig())[0].dpi_estimated


def _quadrants(kind: str, orientation: int) -> bytes:
    """A 100×60 image with a red and a green block, saved with an EXIF orientation tag."""
    image = Image.new("RGB", (100, 60), "white")
    image.paste((200, 30, 30), (0, 0, 50, 20))
    image.paste((20, 200, 40), (70, 40, 100, 60))
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format=kind, exif=exif.tobytes(), **({"quality": 95} if kind == "JPEG" else {}))
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_a_photo_is_turned_upright_by_exif_as_pillow_does(kind: str, orientation: int) -> None:
    """PNG and JPEG pages are decoded by OpenCV, the rest by Pillow: both must give the same pixels."""
    data = _quadrants(kind, orientation)
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB"))
    page = load(SourceDocument(f"photo.{kind.lower()}", data), LoadConfig())[0]
    assert page.pixels.shape == expected.shape
    assert np.array_equal(page.pixels, expected)
    assert page.pixels.shape[:2] == ((100, 60) if orientation in (6, 8) else (60, 100))
