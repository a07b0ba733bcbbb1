"""PAdES signing of digitized copies, with the visible mark at the top right of page 1.

The mark names the copy type, the agency and the signing time in ISO 8601 Vietnam time, in a Times-like
serif of 10 pt (Noto Serif: 1000 units per em, so pyHanko lays Vietnamese out with the right spacing).
Each signature is its own incremental revision; earlier bytes are never rewritten.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

import pikepdf
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle

from digitize.config import SigningConfig
from digitize.errors import SigningError
from digitize.model import SignatureSummary
from signing.certificates import signer_certificate, subject_name
from signing.fonts import mark_font
from signing.verify import verify_pdf

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
MARK_WIDTH_PT, MARK_HEIGHT_PT, MARK_MARGIN_PT = 250, 40, 4
FIELD_NAME = "SoHoaSeal"
#: Room for the CMS container: a B-B signature with a three-certificate chain needs about 5 KB.
SIGNATURE_BYTES = 16384


class DocumentSigner(Protocol):
    def sign(self, pdf: bytes) -> tuple[bytes, SignatureSummary]: ...


def nfc(text: str) -> str:
    """Mark texts are drawn in NFC: every Vietnamese letter one precomposed glyph (see signing/fonts.py)."""
    return unicodedata.normalize("NFC", text)


def vietnam_now() -> datetime:
    return datetime.now(VIETNAM_TIME).replace(microsecond=0)


def mark_box(pdf: bytes) -> tuple[int, int, int, int]:
    """The visible mark's rectangle at the top right of page 1, in PDF points."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        x0, y0, x1, y1 = (float(v) for v in doc.pages[0].mediabox)
    right, top = int(x1 - MARK_MARGIN_PT), int(y1 - MARK_MARGIN_PT)
    return right - MARK_WIDTH_PT, top - MARK_HEIGHT_PT, right, top


@dataclass
class PadesSigner:
    """Signs with one loaded key (kept for the life of the process) and checks each result."""

    signer: signers.SimpleSigner
    config: SigningConfig
    trust_roots: tuple[Path, ...]
    level: str = "B-B"

    def __post_init__(self) -> None:
        if not Path(self.config.font_path).exists():
            raise SigningError(
                f"font {self.config.font_path} for the visible mark is missing",
                fix="install fonts-noto-core or set signing.font_path",
            )
        font = mark_font(self.config.font_path, self.config.copy_type, self.config.agency)
        self._style = TextStampStyle(
            stamp_text="%(copy_type)s\n%(agency)s\n%(when)s",
            text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(font), font_size=10),
            border_width=0,
            background=None,
        )
        self.signer_name = subject_name_of(self.signer)

    def sign(self, pdf: bytes) -> tuple[bytes, SignatureSummary]:
        when = vietnam_now()
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=self.config.copy_type,
            location=self.config.agency,
            name=self.signer_name,
        )
        pdf_signer = signers.PdfSigner(
            meta,
            self.signer,
            stamp_style=self._style,
            new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=0, box=mark_box(pdf)),
        )
        params = {
            "copy_type": nfc(self.config.copy_type),
            "agency": nfc(self.config.agency),
            "when": when.isoformat(),
        }
        try:
            out = pdf_signer.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf)),
                appearance_text_params=params,
                bytes_reserved=SIGNATURE_BYTES,  # known size: no dry-run signature to measure it
            )
        except Exception as exc:  # pyHanko raises many types; each means "not signed"
            raise SigningError(
                f"signing failed: {exc}", fix="check the signing key and certificate"
            ) from None
        signed = out.getvalue()
        report = verify_pdf(signed, self.trust_roots)
        valid = report.all_valid
        summary = SignatureSummary(
            valid=valid,
            signer=self.signer_name,
            level=self.level,
            detail=f"signed at {when.isoformat()}" if valid else report.summary(),
        )
        return signed, summary


def subject_name_of(signer: signers.SimpleSigner) -> str:
    return subject_name(signer_certificate(signer))
