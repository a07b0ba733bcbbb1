"""Regions of a stored page as images: the review station's crops and page views, and the training lines
`digitize export-lines` writes. Rendered from the signed copy's PDF (the image every reader saw), at the
page's own resolution, so a field's box (page pixels) cuts exactly what the extractor read.

A page is rendered once (`render_page`) and every crop of it is cut from that image (`cut_png`): a
register page asks for dozens of crops, and rendering the page again for each cost 0.1–1.8 s a crop.
"""

from __future__ import annotations

import io

import pikepdf
import pypdfium2
from PIL import Image

from digitize.errors import NotFoundError, RequestError
from digitize.stages.load import PDFIUM_LOCK

#: Resolution of the page view beside the keying grid, about (see `view_step`).
VIEW_DPI = 100.0


def render_page(pdf: bytes, page_number: int, dpi: float) -> Image.Image:
    """The whole page at its own resolution (page pixels), as RGB: the scan embedded in it when the page
    is one scan covering the page (decoded straight: 0.03 s for an A3 page where rendering took 0.4 s),
    or the page as pdfium renders it."""
    return _embedded_scan(pdf, page_number, dpi) or _rendered(pdf, page_number, dpi)


def _rendered(pdf: bytes, page_number: int, dpi: float) -> Image.Image:
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


def _embedded_scan(pdf: bytes, page_number: int, dpi: float) -> Image.Image | None:
    """The page's only image, decoded, when it is the page itself: upright, as large as the page at its
    resolution (within 2 pixels), no mask. None for anything else (then the page is rendered)."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            if not 1 <= page_number <= len(document.pages):
                return None
            page = document.pages[page_number - 1]
            images = [i for i in page.get_images().values() if isinstance(i, pikepdf.Stream)]
            if len(images) != 1 or int(page.obj.get("/Rotate", 0)) % 360:
                return None
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            expected = ((x1 - x0) * dpi / 72.0, (y1 - y0) * dpi / 72.0)
            scan = pikepdf.PdfImage(images[0])
            if abs(scan.width - expected[0]) > 2 or abs(scan.height - expected[1]) > 2:
                return None
            if "/SMask" in images[0] or scan.image_mask:
                return None
            return scan.as_pil_image().convert("RGB")
    except (pikepdf.PdfError, ValueError, NotImplementedError, OSError):
        return None


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


def view_step(dpi: float) -> int:
    """The page view keeps one pixel in `view_step` each way: about VIEW_DPI, never above the page's."""
    return max(1, round(dpi / VIEW_DPI))


def view_jpeg(image: Image.Image, dpi: float) -> bytes:
    """The rendered page reduced to about VIEW_DPI, as JPEG: the page view a field is highlighted on
    (a box scales by 1 / view_step)."""
    out = io.BytesIO()
    image.reduce(view_step(dpi)).save(out, format="JPEG", quality=80)
    return out.getvalue()
