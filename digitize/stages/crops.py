"""Regions of a stored page as PNG: the review station's crops and the training lines `digitize
export-lines` writes. Rendered from the signed copy's PDF (the image every reader saw), at the page's own
resolution, so a field's box (page pixels) cuts exactly what the extractor read."""

from __future__ import annotations

import io

import pypdfium2
from PIL import Image

from digitize.errors import NotFoundError, RequestError
from digitize.stages.load import PDFIUM_LOCK


def crop_png(
    pdf: bytes, page_number: int, dpi: float, box: tuple[int, int, int, int], margin: int = 16
) -> bytes:
    """The region of a page (box in page pixels at its dpi) rendered from the PDF, with a margin."""
    with PDFIUM_LOCK:  # pdfium is not thread-safe; requests and the job thread share it
        image = _render_region(pdf, page_number, dpi, box, margin)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _render_region(
    pdf: bytes, page_number: int, dpi: float, box: tuple[int, int, int, int], margin: int
) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= page_number <= len(document):
            raise NotFoundError(f"no page {page_number}", fix="check the field's page")
        page = document[page_number - 1]
        width, height = page.get_size()
        points = 72.0 / dpi
        x0, y0, x1, y1 = box
        left = max(0.0, (x0 - margin) * points)
        right = max(0.0, width - (x1 + margin) * points)
        top = max(0.0, (y0 - margin) * points)
        bottom = max(0.0, height - (y1 + margin) * points)
        if left + right >= width or top + bottom >= height:
            raise RequestError(
                "the box lies outside the page", fix="check the field's box", code="invalid_box"
            )
        image: Image.Image = page.render(scale=dpi / 72.0, crop=(left, bottom, right, top)).to_pil()
        page.close()
        return image
    finally:
        document.close()
