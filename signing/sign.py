"""PAdES signing of digitized copies, with the visible mark at the top right of page 1.

The mark names the copy type, the agency and the signing time in ISO 8601 Vietnam time, in a Times-like
serif of 10 pt (Noto Serif: 1000 units per em, so pyHanko lays Vietnamese out with the right spacing).
Each signature is its own incremental revision; earlier bytes are never rewritten.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pikepdf
from cryptography import x509
from PIL import Image
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from digitize.config import SigningConfig
from digitize.errors import ConfigError, SigningError
from digitize.model import SignatureSummary
from signing.certificates import signer_certificate, subject_name
from signing.fonts import mark_font
from signing.ocsp import issuer_of, require_good
from signing.verify import VIETNAM_TIME, verify_pdf

MARK_WIDTH_PT, MARK_HEIGHT_PT, MARK_MARGIN_PT = 250, 40, 4
FIELD_NAME = "SoHoaSeal"
LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
#: Room for the CMS container when its size is known in advance (no dry-run signature to measure it):
#: a B-B signature with its chain needs about 5 KB, a B-T one adds a timestamp token with the TSA's chain.
SIGNATURE_BYTES = {"B-B": 16384, "B-T": 32768}


def nfc(text: str) -> str:
    """Mark texts are drawn in NFC: every Vietnamese letter one precomposed glyph (see signing/fonts.py)."""
    return unicodedata.normalize("NFC", text)


def vietnam_now() -> datetime:
    return datetime.now(VIETNAM_TIME).replace(microsecond=0)


def existing_signatures(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        form = doc.Root.get("/AcroForm")
        if form is None:
            return 0
        return sum(1 for f in form.get("/Fields", []) if f.get("/FT") == "/Sig")


def unsigned_base(pdf: bytes) -> bytes:
    """The first revision of a signed copy: the archival PDF/A as it was before any signature.

    A re-issued copy (after review) is signed afresh from it rather than by adding a second signature of
    the same certificate: poppler 22 (Debian 12) reports every signature after the first one by the same
    certificate as "Unknown issue with Certificate", because it reads NSS's error state even when
    verification succeeded (it does not check `CERT_PKIXVerifyCert`'s result; newer poppler does). Each
    copy then carries one signature per certificate, and every validator calls each of them trusted.
    """
    reader = PdfFileReader(io.BytesIO(pdf))
    if reader.xrefs.total_revisions == 1:
        return pdf
    offset = reader.xrefs.get_startxref_for_revision(0)
    end = re.compile(rb"startxref\s+%d\s+%%%%EOF[\r\n]*" % offset).search(pdf, offset)
    if end is None:
        raise SigningError("the signed copy's first revision cannot be found", fix="re-run the document")
    return pdf[: end.end()]


def mark_box(pdf: bytes, index: int = 0) -> tuple[int, int, int, int]:
    """The rectangle of the index-th visible mark at the top right of page 1 (later ones stack below)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        x0, y0, x1, y1 = (float(v) for v in doc.pages[0].mediabox)
    right, top = int(x1 - MARK_MARGIN_PT), int(y1 - MARK_MARGIN_PT - index * MARK_HEIGHT_PT)
    return right - MARK_WIDTH_PT, top - MARK_HEIGHT_PT, right, top


@dataclass
class PadesSigner:
    """Signs with one loaded key (kept for the life of the process) and checks each result.

    Every signature is a new incremental revision with its own field (`SoHoaSeal`, `SoHoaSeal2`, …), so an
    officer's signature and the office's seal can follow one another and earlier revisions stay intact.
    B-T asks the timestamper for an RFC 3161 token; B-LT also embeds the chain and CRLs (DSS); B-LTA adds
    a document timestamp. When the TSA does not answer, `tsa_required` decides: refuse, or sign B-B and put
    a warning in the summary (the pipeline records it among the document's errors).
    """

    signer: signers.Signer
    config: SigningConfig
    trust_roots: tuple[Path, ...]
    timestamper: TimeStamper | None = None
    crls: tuple[bytes, ...] = ()
    role: str = "seal"

    def __post_init__(self) -> None:
        if self.config.level not in LEVELS:
            raise ConfigError(f"unknown signing.level {self.config.level!r}", fix=f"use one of {LEVELS}")
        if self.config.level != "B-B" and self.timestamper is None:
            raise ConfigError(
                f"signing.level {self.config.level} needs a timestamp authority",
                fix="set signing.tsa_url, or signing.level = B-B",
            )
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
            background=self._seal_image(),
            background_opacity=0.6,
        )
        self.signer_name = subject_name_of(self.signer)
        roots = [load_cert_from_pemder(str(p)) for p in self.trust_roots]  # type: ignore[no-untyped-call]
        self._roots = roots
        self._revocation = RevocationWatch(self.signer, self.config)  # refuses a revoked certificate now

    def _seal_image(self) -> PdfImage | None:
        if self.role != "seal" or not self.config.seal_image:
            return None
        try:
            return PdfImage(Image.open(self.config.seal_image))
        except OSError as exc:
            raise ConfigError(
                f"the seal image {self.config.seal_image} cannot be read ({exc})",
                fix="point signing.seal_image at a transparent PNG, or leave it empty",
            ) from None

    def sign(self, pdf: bytes) -> tuple[bytes, SignatureSummary]:
        self._revocation.ensure_fresh()
        when = vietnam_now()
        level, warning = self.config.level, ""
        try:
            signed = self._sign(pdf, when, level)
        except TimestampRequestError as exc:
            if self.config.tsa_required:
                raise SigningError(
                    f"the timestamp authority did not answer ({exc}); nothing was signed",
                    fix="check signing.tsa_url and the network, or set signing.tsa_required = false",
                ) from None
            level, warning = "B-B", f"timestamp authority unreachable: signed B-B without a timestamp ({exc})"
            signed = self._sign(pdf, when, level)
        report = verify_pdf(signed, self.trust_roots)
        valid = report.all_valid
        detail = f"{self.role} signed at {when.isoformat()}" if valid else report.summary()
        warnings = (warning,) if warning else ()
        return signed, SignatureSummary(valid, self.signer_name, level, detail, warnings)

    def _sign(self, pdf: bytes, when: datetime, level: str) -> bytes:
        index = existing_signatures(pdf)
        name = FIELD_NAME if index == 0 else f"{FIELD_NAME}{index + 1}"
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=f"{self.config.copy_type} ({self.role})",
            location=self.config.agency,
            name=self.signer_name,
            embed_validation_info=level in ("B-LT", "B-LTA"),
            use_pades_lta=level == "B-LTA",
            validation_context=self._validation_context() if level in ("B-LT", "B-LTA") else None,
        )
        pdf_signer = signers.PdfSigner(
            meta,
            self.signer,
            timestamper=self.timestamper if level != "B-B" else None,
            stamp_style=self._style,
            new_field_spec=fields.SigFieldSpec(name, on_page=0, box=mark_box(pdf, index)),
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
                bytes_reserved=SIGNATURE_BYTES.get(level),
            )
        except TimestampRequestError:
            raise
        except Exception as exc:  # pyHanko raises many types; each means "not signed"
            raise SigningError(
                f"signing failed: {exc}", fix="check the signing key and certificate"
            ) from None
        return bytes(out.getvalue())

    def _validation_context(self) -> ValidationContext:
        return ValidationContext(
            trust_roots=self._roots,
            crls=list(self.crls),
            ocsps=self._revocation.responses(),
            allow_fetching=False,
            revocation_mode="hard-fail",
        )


@dataclass
class SignerChain:
    """Several signers in turn on one document (the officer, then the seal), each in its own revision."""

    signers: tuple[PadesSigner, ...]

    def sign(self, pdf: bytes) -> tuple[bytes, SignatureSummary]:
        summaries = []
        for signer in self.signers:
            pdf, summary = signer.sign(pdf)
            summaries.append(summary)
        return pdf, SignatureSummary(
            valid=all(s.valid for s in summaries),
            signer=" + ".join(s.signer for s in summaries),
            level=min((s.level for s in summaries), key=LEVELS.index),
            detail="; ".join(s.detail for s in summaries),
            warnings=tuple(w for s in summaries for w in s.warnings),
        )


class RevocationWatch:
    """The signing certificate's OCSP status: checked when the signer is built, asked again when older than
    `signing.ocsp_max_age_s`, so a long-running worker stops signing once its certificate is revoked."""

    def __init__(self, signer: signers.Signer, config: SigningConfig) -> None:
        self.cert = signer_certificate(signer)
        chain = [x509.load_der_x509_certificate(c.dump()) for c in (signer.cert_registry or [])]
        self.issuer = issuer_of(self.cert, chain)
        self.config = config
        self.status = require_good(self.cert, self.issuer, config.ocsp, config.ocsp_timeout_s)
        self.checked = time.monotonic()

    def ensure_fresh(self) -> None:
        if self.config.ocsp != "off" and time.monotonic() - self.checked > self.config.ocsp_max_age_s:
            self.status = require_good(self.cert, self.issuer, self.config.ocsp, self.config.ocsp_timeout_s)
            self.checked = time.monotonic()

    def responses(self) -> list[bytes]:
        """Checked OCSP responses to embed in B-LT/B-LTA copies."""
        return [self.status.response] if self.status.status == "good" and self.status.response else []


def subject_name_of(signer: signers.Signer) -> str:
    return subject_name(signer_certificate(signer))
