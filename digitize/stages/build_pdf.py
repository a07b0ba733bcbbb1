"""Stage `build_pdf`: page images + OCR words → a two-layer PDF/A-2b with the guide's metadata in XMP.

Layer 1 is the page image (JPEG, original colour, upright and deskewed). Layer 2 is invisible text
(render mode 3) in an embedded TrueType font, each word placed on and stretched to its box, so search,
copy and screen readers see the words where they are. The XMP packet carries pdfaid (part 2, B), Dublin
Core and the digitization metadata (DocCode, TypeName, ...) in a `sohoa:` namespace with its PDF/A extension
schema (`digitize.stages.xmp`); an sRGB OutputIntent makes the colour space explicit, as PDF/A requires.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import cv2
import pikepdf
from PIL import ImageCms
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from digitize.errors import ProcessingError
from digitize.model import OcrPage, PageImage
from digitize.stages.xmp import xmp_packet

TEXT_FONT_PATH = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
TEXT_FONT = "SohoaText"
JPEG_QUALITY = 80
# ReportLab would wrap streams in ASCII85, in pure Python without its C accelerator: slow and a quarter
# more bytes for nothing a binary PDF needs.
rl_config.useA85 = 0


@dataclass(frozen=True, eq=False)
class PdfPage:
    image: PageImage
    ocr: OcrPage


@lru_cache(maxsize=1)
def _register_font() -> str:
    pdfmetrics.registerFont(TTFont(TEXT_FONT, TEXT_FONT_PATH))
    return TEXT_FONT


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def page_jpeg(image: PageImage) -> bytes:
    """Baseline JPEG of the page in its original colour (OpenCV: Pillow would first copy the page into its
    own 4-bytes-a-pixel layout, 70 MB for an A3 page; the encoded bytes are the same)."""
    ok, encoded = cv2.imencode(
        ".jpg", cv2.cvtColor(image.pixels, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
    )
    if not ok:
        raise ProcessingError(
            f"page {image.number} could not be encoded as JPEG", fix="check the page image and rerun"
        )
    return bytes(encoded.tobytes())


def _draw_text(pdf: canvas.Canvas, page: PdfPage) -> None:
    """The invisible text layer of one page (the image goes under it later, in `_put_images`)."""
    image = page.image
    scale = 72.0 / image.dpi
    width_pt, height_pt = image.width * scale, image.height * scale
    pdf.setPageSize((width_pt, height_pt))
    font = _register_font()
    for line in page.ocr.text_lines:
        text = pdf.beginText()
        text.setTextRenderMode(3)
        for word in line.words:
            x0, y0, x1, y1 = word.box
            size = max(1.0, (y1 - y0) * scale * 0.85)
            natural = pdfmetrics.stringWidth(word.text + " ", font, size)
            text.setFont(font, size)
            text.setHorizScale(100.0 * (x1 - x0) * scale / natural if natural else 100.0)
            text.setTextOrigin(x0 * scale, height_pt - y1 * scale + (y1 - y0) * scale * 0.2)
            text.textOut(word.text + " ")
        pdf.drawText(text)
    pdf.showPage()


def build_pdf(
    pages: Sequence[PdfPage], metadata: Mapping[str, str | None], created: datetime | None = None
) -> bytes:
    """The two-layer PDF/A-2b bytes for the given pages."""
    raw = io.BytesIO()
    # The initial font is referenced by every page: it must be our embedded font, never Helvetica (PDF/A).
    pdf = canvas.Canvas(
        raw, pageCompression=1, invariant=True, initialFontName=_register_font(), initialFontSize=10
    )
    for page in pages:
        _draw_text(pdf, page)
    pdf.save()
    return _make_pdfa(raw.getvalue(), pages, metadata, created or datetime.now(UTC))


def _put_images(pdf: pikepdf.Pdf, pages: Sequence[PdfPage]) -> None:
    """Each page's JPEG as an image XObject drawn first, under the text.

    Done here rather than through ReportLab, which decodes the JPEG again to hash its pixels (a 52 MB
    string for an A3 page) before embedding the bytes it was given.
    """
    for target, page in zip(pdf.pages, pages, strict=True):
        image = page.image
        stream = pikepdf.Stream(pdf, b"")
        stream.write(page_jpeg(image), filter=pikepdf.Name.DCTDecode)
        stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        stream.Width, stream.Height = image.width, image.height
        stream.ColorSpace, stream.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
        name = target.add_resource(stream, pikepdf.Name.XObject, prefix="Scan")
        width_pt, height_pt = image.width * 72.0 / image.dpi, image.height * 72.0 / image.dpi
        draw = f"q {width_pt:.4f} 0 0 {height_pt:.4f} 0 0 cm {name} Do Q\n".encode()
        target.contents_add(pikepdf.Stream(pdf, draw), prepend=True)


def _make_pdfa(
    data: bytes, pages: Sequence[PdfPage], metadata: Mapping[str, str | None], created: datetime
) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _put_images(pdf, pages)
        icc = pdf.make_stream(srgb_profile())
        icc.N = 3
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String("sRGB"),
            Info=pikepdf.String("sRGB IEC61966-2.1"),
            DestOutputProfile=icc,
        )
        pdf.Root.OutputIntents = pikepdf.Array([intent])
        pdf.Root.Lang = pikepdf.String("vi-VN")
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=False)
        packet = xmp_packet(metadata, _title(metadata), created)
        pdf.Root.Metadata = pdf.make_stream(packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        del pdf.trailer.Info  # the XMP is the one place for document metadata: nothing to disagree with
        for page in pdf.pages:  # ReportLab's empty page transitions: nothing an archival copy needs
            if "/Trans" in page.obj:
                del page.obj.Trans
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, deterministic_id=True)
        return out.getvalue()


def _title(metadata: Mapping[str, str | None]) -> str:
    return metadata.get("Subject") or metadata.get("TypeName") or "Bản số hóa"
