"""PDF/A conformance of a copy, checked by an independent validator (pikepdf's, as OCRmyPDF uses it).

Findings come in two kinds: a `violation` breaks a rule of the flavour; `unsupported` means the validator
does not check that part. A signed copy always has one or two unsupported findings, and they are expected:

- `/AcroForm`: the signature fields live in an interactive form dictionary, whose rules pikepdf does not
  check. ISO 19005-2 allows signature fields (§6.4.3 asks only that widgets be printable and not hidden);
  the fields pyHanko writes are printed widgets with appearance streams.
- `/DSS` (B-LT and B-LTA only): the document security store holding certificates and CRLs or OCSP
  responses for long-term validation, a catalog key newer than the PDF version PDF/A-2 is built on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf.pdfa import validate_written

#: Unsupported findings that every signed copy has, with the reason they do not matter.
EXPECTED_UNSUPPORTED = {
    "/AcroForm": "signature fields; ISO 19005-2 §6.4.3 allows them and pikepdf does not check forms",
    "/DSS": "the PAdES document security store of B-LT/B-LTA (ETSI EN 319 142-1): a catalog key that "
    "ISO 32000-1, on which PDF/A-2 is built, does not define and tells readers to ignore",
}


@dataclass(frozen=True)
class PdfaReport:
    flavour: str
    claimed: bool  # the XMP declares this flavour (pdfaid)
    violations: tuple[str, ...]
    unsupported: tuple[str, ...]

    @property
    def conforming(self) -> bool:
        return self.claimed and not self.violations

    def unexplained(self) -> tuple[str, ...]:
        """Unsupported findings other than the expected ones."""
        return tuple(u for u in self.unsupported if not any(k in u for k in EXPECTED_UNSUPPORTED))

    def to_dict(self) -> dict[str, Any]:
        return {
            "flavour": self.flavour,
            "claimed": self.claimed,
            "conforming": self.conforming,
            "violations": list(self.violations),
            "unsupported": list(self.unsupported),
        }

    def summary(self) -> str:
        if not self.claimed:
            return f"PDF/A-{self.flavour}: not claimed"
        if self.violations:
            return f"PDF/A-{self.flavour}: {len(self.violations)} violation(s)"
        return f"PDF/A-{self.flavour}: no violations"


def check_pdfa(data: bytes, flavour: str = "2b") -> PdfaReport:
    """The validator's findings on these bytes; never raises for a bad file (findings say what is wrong)."""
    report = validate_written(io.BytesIO(data), flavour)
    violations = tuple(str(f) for f in report.findings if f.kind == "violation")
    unsupported = tuple(str(f) for f in report.findings if f.kind != "violation")
    return PdfaReport(flavour, _claims(data, flavour), violations, unsupported)


def _claims(data: bytes, flavour: str) -> bool:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            meta = pdf.open_metadata()
            return bool(
                meta.get("pdfaid:part") == flavour[0]
                and meta.get("pdfaid:conformance") == flavour[1:].upper()
            )
    except (pikepdf.PdfError, ValueError):
        return False
