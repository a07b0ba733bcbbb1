"""Stage `split_pages`: a multi-page register volume (PDF or TIFF) → one document per page, losslessly.

Used when a volume is spread over the queue: each page becomes its own job (its own sha256, so
re-submitting the volume adds no work), and the pages are joined again once all are done. PDF pages
are copied as they are (no re-rendering); TIFF frames are re-encoded losslessly with their resolution.
Single-page inputs come back unchanged, byte for byte.
"""

from __future__ import annotations

import io
from pathlib import PurePath

import pikepdf
from PIL import Image, ImageSequence

from digitize.config import LoadConfig
from digitize.errors import InputError
from digitize.model import SourceDocument
from digitize.stages.load import check_pdf_structure, sniff_format


def split_pages(source: SourceDocument, config: LoadConfig) -> list[SourceDocument]:
    kind = sniff_format(source.data)
    if kind == "pdf":
        return _split_pdf(source, config)
    if kind == "tiff":
        return _split_tiff(source, config)
    return [source]


def page_name(name: str, number: int, suffix: str) -> str:
    return f"{PurePath(name).stem}-p{number:04d}{suffix}"


def _split_pdf(source: SourceDocument, config: LoadConfig) -> list[SourceDocument]:
    check_pdf_structure(source, config)
    with pikepdf.open(io.BytesIO(source.data)) as pdf:
        if len(pdf.pages) <= 1:
            return [source]
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            single = pikepdf.new()
            single.pages.append(page)
            buffer = io.BytesIO()
            single.save(buffer, deterministic_id=True)
            pages.append(SourceDocument(page_name(source.name, number, ".pdf"), buffer.getvalue()))
        return pages


def _split_tiff(source: SourceDocument, config: LoadConfig) -> list[SourceDocument]:
    try:
        with Image.open(io.BytesIO(source.data)) as image:
            count = getattr(image, "n_frames", 1)
            if count <= 1:
                return [source]
            if count > config.max_pages:
                raise InputError(
                    f"the volume has {count} pages, more than the limit of {config.max_pages}",
                    fix="split the volume or raise load.max_pages",
                    source=source.name,
                )
            return [
                _tiff_frame(source.name, n, frame, config.max_pixels)
                for n, frame in enumerate(ImageSequence.Iterator(image), 1)
            ]
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(
            f"the TIFF cannot be read ({exc})", fix="rescan or re-export the volume", source=source.name
        ) from None


def _tiff_frame(name: str, number: int, frame: Image.Image, max_pixels: int) -> SourceDocument:
    if frame.width * frame.height > max_pixels:
        raise InputError(
            f"page {number} has {frame.width}×{frame.height} pixels, more than {max_pixels:,}",
            fix="rescan at 300–600 dpi; this looks like a decompression bomb",
            source=name,
        )
    buffer = io.BytesIO()
    dpi = frame.info.get("dpi")
    frame.save(buffer, format="TIFF", compression="tiff_deflate", **({"dpi": dpi} if dpi else {}))
    return SourceDocument(page_name(name, number, ".tif"), buffer.getvalue())
