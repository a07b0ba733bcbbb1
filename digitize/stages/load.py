"""Stage `load`: bytes of a scan (PNG, JPEG, TIFF incl. multi-page, PDF) → RGB page images.

The type is sniffed from the content, never trusted from the file name. Every way a file can be unusable
ends as an `InputError` that says what is wrong and what to do.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import numpy as np
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError

from digitize.config import LoadConfig
from digitize.errors import InputError
from digitize.model import ImageArray, PageImage, SourceDocument, as_image

_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
    b"%PDF-": "pdf",
}
SUPPORTED_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}
_PLAUSIBLE_DPI = (100.0, 1200.0)
_EXIF_ORIENTATION = 0x0112


def sniff_format(data: bytes) -> str | None:
    """The file format by its first bytes, or None when it is none of the supported ones."""
    head = data[:1024].lstrip(b"\x00") if data[:1] == b"\x00" else data
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    return "pdf" if b"%PDF-" in data[:1024] else None


def load(source: SourceDocument, config: LoadConfig) -> list[PageImage]:
    """Decode every page of the document; raise InputError naming the problem and the fix."""
    kind = _supported_kind(source)
    pages = list(_load_pdf(source, config) if kind == "pdf" else _load_image(source, config))
    _check_not_empty(len(pages), source.name)
    return pages


def _supported_kind(source: SourceDocument) -> str:
    """The sniffed format, or InputError for an empty file or content that is no supported format."""
    if not source.data:
        raise InputError(
            "the file is empty (0 bytes)", fix="scan or copy the document again", source=source.name
        )
    kind = sniff_format(source.data)
    if kind is None:
        raise InputError(
            "not a PNG, JPEG, TIFF or PDF file (content does not match any of them)",
            fix="export the scan as PNG, JPEG, TIFF or PDF",
            source=source.name,
        )
    return kind


def _check_not_empty(count: int, name: str) -> None:
    if count == 0:
        raise InputError("the document has no pages", fix="check the export from the scanner", source=name)


def _load_image(source: SourceDocument, config: LoadConfig) -> Iterator[PageImage]:
    with _image_errors(source, config):
        for number, frame in _frames(source, config):
            yield _to_page(frame, number, config, source)


def _count_frames(source: SourceDocument, config: LoadConfig) -> int:
    """Decode every frame (truncation shows only then) without converting or keeping the pixels."""
    count = 0
    with _image_errors(source, config):
        for count, frame in _frames(source, config):  # noqa: B007 (the last number is the count)
            _check_pixels(frame, config)
            frame.load()
    return count


def _frames(source: SourceDocument, config: LoadConfig) -> Iterator[tuple[int, Image.Image]]:
    """(page number, the image positioned on that frame), after the page-count check."""
    image = Image.open(io.BytesIO(source.data))
    frames = getattr(image, "n_frames", 1)
    _check_page_count(frames, config, source.name)
    for index in range(frames):
        image.seek(index)
        yield index + 1, image


def _check_pixels(image: Image.Image, config: LoadConfig) -> None:
    width, height = image.size
    if width * height > config.max_pixels:
        raise Image.DecompressionBombError(f"{width}x{height}")


@contextmanager
def _image_errors(source: SourceDocument, config: LoadConfig) -> Iterator[None]:
    """Pillow's ways of failing, as InputErrors naming the file and the fix."""
    Image.MAX_IMAGE_PIXELS = config.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            f"the image is larger than {config.max_pixels:,} pixels (possible decompression bomb)",
            fix="rescan at 300–600 dpi or raise load.max_pixels if the page is genuine",
            source=source.name,
        ) from None
    except UnidentifiedImageError:
        raise InputError(
            "the image cannot be decoded", fix="rescan or re-export the file", source=source.name
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(
            f"the image is damaged or truncated ({exc})",
            fix="copy the file again or rescan",
            source=source.name,
        ) from None


def _to_page(image: Image.Image, number: int, config: LoadConfig, source: SourceDocument) -> PageImage:
    _check_pixels(image, config)
    width, height = image.size
    if min(width, height) < 16:
        raise InputError(
            f"page {number} is only {width}×{height} pixels", fix="rescan the page", source=source.name
        )
    dpi, estimated = _resolution(image)
    pixels = _decoded_whole(source.data, image)
    pixels = _rgb_pixels(image) if pixels is None else pixels
    return PageImage(number=number, pixels=pixels, dpi=dpi, dpi_estimated=estimated)


#: How a complete file of each kind OpenCV decodes ends: its decoder fills a cut-off JPEG with grey where
#: Pillow refuses it, so only files that end as they should are given to it.
_WHOLE_FILE_END = {"PNG": b"IEND\xaeB`\x82", "JPEG": b"\xff\xd9"}


def _decoded_whole(data: bytes, image: Image.Image) -> ImageArray | None:
    """A single-image PNG or JPEG decoded by OpenCV (2–3× faster than Pillow, no extra copy), upright by
    its EXIF orientation as Pillow's path makes it; None for every other file, and when OpenCV cannot
    decode it, so that Pillow's path decodes it or says what is wrong."""
    end = _WHOLE_FILE_END.get(image.format or "")
    if end is None or getattr(image, "n_frames", 1) != 1 or not data.rstrip(b"\0").endswith(end):
        return None
    pixels = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR_RGB)
    if pixels is None or {pixels.shape[:2], pixels.shape[1::-1]}.isdisjoint({image.size[::-1]}):
        return None
    return as_image(pixels)


def _rgb_pixels(image: Image.Image) -> ImageArray:
    """The frame as an RGB array, with as few full-size copies alive at once as Pillow allows.

    An A3 page at 300 dpi is 52 MB of RGB (70 MB in Pillow's own layout): transposing and converting only
    when needed, and letting numpy keep Pillow's byte buffer, took what loading one such page adds to the
    process's peak from about 300 MB to about 165 MB.
    """
    if image.getexif().get(_EXIF_ORIENTATION, 1) != 1:
        image = ImageOps.exif_transpose(image) or image
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    rgb.load()
    width, height = rgb.size
    return np.frombuffer(rgb.tobytes(), dtype=np.uint8).reshape(height, width, 3)


def _resolution(image: Image.Image) -> tuple[float, bool]:
    """DPI from the file when plausible; otherwise 300 marked as an estimate (refined from text later)."""
    dpi = image.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and dpi[0]:
        value = float(dpi[0])
        if _PLAUSIBLE_DPI[0] <= value <= _PLAUSIBLE_DPI[1]:
            return value, False
    return 300.0, True


def _check_page_count(count: int, config: LoadConfig, name: str) -> None:
    if count > config.max_pages:
        raise InputError(
            f"the document has {count} pages, more than the limit of {config.max_pages}",
            fix="split the volume or raise load.max_pages",
            source=name,
        )


#: pdfium must never be called from two threads at once (the API process renders review crops while its
#: job thread loads PDFs): every call into it in this process holds this lock.
PDFIUM_LOCK = threading.RLock()


def _load_pdf(source: SourceDocument, config: LoadConfig) -> Iterator[PageImage]:
    check_pdf_structure(source, config)
    try:
        with PDFIUM_LOCK:
            pdf = pdfium.PdfDocument(source.data)
    except pdfium.PdfiumError as exc:
        raise InputError(
            f"the PDF cannot be opened ({exc})", fix="re-export the PDF", source=source.name
        ) from None
    try:
        scale = config.pdf_render_dpi / 72.0
        for index in range(len(pdf)):
            with PDFIUM_LOCK:
                bitmap = _render_page(pdf, index, scale, config, source.name)
            yield PageImage(
                number=index + 1, pixels=np.asarray(bitmap, dtype=np.uint8), dpi=config.pdf_render_dpi
            )
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def _render_page(
    pdf: pdfium.PdfDocument, index: int, scale: float, config: LoadConfig, name: str
) -> Image.Image:
    page = pdf[index]
    try:
        width, height = page.get_size()
        if width * height * scale * scale > config.max_pixels:
            raise InputError(
                f"page {index + 1} would exceed {config.max_pixels:,} pixels when rendered",
                fix="check the page size of the PDF",
                source=name,
            )
        image: Image.Image = page.render(scale=scale).to_pil().convert("RGB")
        return image
    finally:
        page.close()


def check_pdf_structure(source: SourceDocument, config: LoadConfig) -> int:
    """Refuse encrypted, damaged and over-long PDFs before any rendering; returns the page count."""
    try:
        with pikepdf.open(io.BytesIO(source.data)) as pdf:
            count = len(pdf.pages)
            _check_page_count(count, config, source.name)
            if pdf.is_encrypted:
                raise pikepdf.PasswordError("encrypted")
            return count
    except pikepdf.PasswordError:
        raise InputError(
            "the PDF is encrypted or password-protected",
            fix="ask the sender for an unprotected copy or remove the password before submitting",
            source=source.name,
        ) from None
    except pikepdf.PdfError as exc:
        raise InputError(
            f"the PDF is damaged ({exc})", fix="re-export or rescan it", source=source.name
        ) from None


def count_pages(source: SourceDocument, config: LoadConfig) -> int:
    """Check a document at intake without rendering it: the page count, or InputError saying why not.

    PDFs get the structure check (encryption, damage, page limit); images are opened frame by frame and
    decoded, so truncated files and decompression bombs are refused before anything is queued.
    """
    kind = _supported_kind(source)
    count = check_pdf_structure(source, config) if kind == "pdf" else _count_frames(source, config)
    _check_not_empty(count, source.name)
    return count
