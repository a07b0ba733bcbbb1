"""The station's rendered pages: each page rendered once however many crops ask at once, a few kept."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from digitize.errors import NotFoundError
from tests.stages.test_crops import _scan_pdf
from web.page_images import PageImages


def test_a_page_is_rendered_once_for_every_crop_and_the_view() -> None:
    pdf = _scan_pdf()
    reads: list[int] = []
    lock = threading.Lock()

    def stored() -> bytes:
        with lock:
            reads.append(1)
        return pdf

    pages = PageImages(capacity=2)
    boxes = [(300 + k, 400, 500, 460) for k in range(12)]
    with ThreadPoolExecutor(6) as pool:
        crops = list(pool.map(lambda box: pages.crop("doc/signed.pdf", 1, 150.0, stored, box), boxes))
    view = Image.open(io.BytesIO(pages.view("doc/signed.pdf", 1, 150.0, stored)))
    assert len(reads) == 1  # twelve crops at once and the page view: the copy read and rendered once
    assert all(Image.open(io.BytesIO(c)).size == (200 - k + 32, 60 + 32) for k, c in enumerate(crops))
    assert view.size == (620, 877) and pages.has("doc/signed.pdf", 1)


def test_a_failed_render_is_tried_again_and_old_pages_go_first() -> None:
    pdf = _scan_pdf()
    pages = PageImages(capacity=1)
    with pytest.raises(NotFoundError):
        pages.page("doc/signed.pdf", 9, 150.0, lambda: pdf)  # no page 9
    assert not pages.has("doc/signed.pdf", 9)
    pages.page("a.pdf", 1, 150.0, lambda: pdf)
    pages.page("b.pdf", 1, 150.0, lambda: pdf)
    assert pages.has("b.pdf", 1) and not pages.has("a.pdf", 1)
