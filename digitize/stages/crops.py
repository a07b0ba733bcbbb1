"""Regions of a stored page as images: the review station's crops and page views, and the training lines
`digitize export-lines` writes. Rendered from the signed copy's PDF (the image every reader saw), at the
page's own resolution, so a field's box (page pixels) cuts exactly what the extractor read.

A page is rendered once (`render_page`) and every crop of it is cut from that image (`cut_png`): a
register page asks for dozens of crops, and rendering the page again for each cost 0.1–1.8 s a crop.
"""

from __future__ import annotations

import io

import pypdfium2
from PIL import Image

from digitize.errors import NotFoundError, RequestError
from digitize.stages.load import PDFIUM_LOCK

#: Resolution of the page view beside the keying grid (a box scales by VIEW_DPI / the page's dpi).
VIEW_DPI = 100.0


def render_page(pdf: bytes, page_number: int, dpi: float) -> Image.Image:
    """The whole page at its own resolution (page pixels), as RGB."""
    with PDFIUM_LOCK:  # pdfium is not thread-safe; requests and the job thread share it
        document = pypdfium2.PdfDocument(pdf)
        try:
            if not 1 <= page_number <= len(document):
                raise NotFoundError(f"no page {page_number}", fix="check the field's page")
            page = document[page_number - 1]
            image: Image.Image = page.render(scale=dpi / 72.0).to_pil().convert("RGB")
            page.close()
        finally:
            document.close()
    return image


def cut_png(image: Image.Image, box: tuple[int, int, int, int], margin: int = 16) -> bytes:
    """The region of a rendered page (box in its pixels) with a margin, as PNG."""
    x0, y0, x1, y1 = box
    left, top = max(0, x0 - margin), max(0, y0 - margin)
    right, bottom = min(image.width, x1 + margin), min(image.height, y1 + margin)
    if right <= left or bottom <= top:
        raise RequestError("the box lies outside the page", fix="check the field's box", code="invalid_box")
    out = io.BytesIO()
    image.crop((left, top, right, bottom)).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def view_jpeg(image: Image.Image, dpi: float) -> bytes:
    """The page scaled to VIEW_DPI, as JPEG: the page view a field is highlighted on."""
    scale = min(1.0, VIEW_DPI / max(dpi, 1.0))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    out = io.BytesIO()
    image.resize(size, Image.Resampling.BOX).save(out, format="JPEG", quality=80)
    return out.getvalue()


def crop_png(
    pdf: bytes, page_number: int, dpi: float, box: tuple[int, int, int, int], margin: int = 16
) -> bytes:
    """One region of a page, rendering the page for it (for a single crop; cut many from `render_page`)."""
    return cut_png(render_page(pdf, page_number, dpi), box, margin)
