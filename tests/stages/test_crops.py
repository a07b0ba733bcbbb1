"""Crops and page views for the station: the scan embedded in a page is decoded straight when it is the
page, and must give the same pixels where pdfium would render them; anything else is rendered."""

from __future__ import annotations

import io

import numpy as np
import pikepdf
from PIL import Image, ImageDraw

from digitize.stages.crops import _embedded_scan, _rendered, cut_png, render_page, view_jpeg, view_step


def _scan_pdf(rotate: int = 0) -> bytes:
    image = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    ImageDraw.Draw(image).rectangle((300, 400, 500, 460), fill=(20, 30, 140))
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=150.0)
    if not rotate:
        return out.getvalue()
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        pdf.pages[0].obj["/Rotate"] = rotate
        turned = io.BytesIO()
        pdf.save(turned)
        return turned.getvalue()


def test_the_embedded_scan_is_the_rendered_page() -> None:
    pdf = _scan_pdf()
    decoded = _embedded_scan(pdf, 1, 150.0)
    assert decoded is not None
    rendered = _rendered(pdf, 1, 150.0)
    assert abs(decoded.width - rendered.width) <= 1 and abs(decoded.height - rendered.height) <= 1
    box = (0, 0, min(decoded.width, rendered.width), min(decoded.height, rendered.height))
    difference = np.abs(np.asarray(decoded.crop(box), float) - np.asarray(rendered.crop(box), float))
    assert difference.mean() < 3.0  # the same pixels, up to the JPEG decoders
    crop = Image.open(io.BytesIO(cut_png(render_page(pdf, 1, 150.0), (300, 400, 500, 460), margin=0)))
    assert crop.size == (200, 60)
    pixel = crop.getpixel((100, 30))
    assert (
        isinstance(pixel, tuple) and max(abs(a - b) for a, b in zip(pixel, (20, 30, 140), strict=True)) <= 4
    )


def test_a_turned_page_or_a_wrong_resolution_is_rendered() -> None:
    assert _embedded_scan(_scan_pdf(rotate=90), 1, 150.0) is None
    assert _embedded_scan(_scan_pdf(), 1, 300.0) is None  # the image is not the page at that resolution
    assert _embedded_scan(b"not a pdf", 1, 150.0) is None
    width, height = render_page(_scan_pdf(rotate=90), 1, 150.0).size  # rendered by pdfium, turned
    assert abs(width - 1754) <= 1 and abs(height - 1240) <= 1


def test_the_page_view_is_about_100_dpi() -> None:
    page = render_page(_scan_pdf(), 1, 150.0)
    view = Image.open(io.BytesIO(view_jpeg(page, 150.0)))
    assert view_step(150.0) == 2 and view.size == (620, 877)
    assert view_step(300.0) == 3 and view_step(72.0) == 1
