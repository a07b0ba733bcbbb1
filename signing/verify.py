"""Verification of signed PDFs, returned as data (a report per signature and an overall verdict).

Kept apart from signing: `digitize verify` and the tests use it on any file, and it never raises for an
invalid signature — invalid is a verdict, not an error.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from digitize.errors import InputError


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    signing_time: str | None
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modification_level: str
    verdict: str  # TOTAL_PASSED, INDETERMINATE or TOTAL_FAILED (as in the EU DSS simple report)


@dataclass(frozen=True)
class VerificationReport:
    signatures: tuple[SignatureReport, ...]

    @property
    def all_valid(self) -> bool:
        return bool(self.signatures) and all(s.verdict == "TOTAL_PASSED" for s in self.signatures)

    def summary(self) -> str:
        if not self.signatures:
            return "no signatures"
        return "; ".join(f"{s.field}: {s.verdict}" for s in self.signatures)

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.all_valid, "signatures": [asdict(s) for s in self.signatures]}


def _verdict(intact: bool, valid: bool, trusted: bool) -> str:
    if not intact or not valid:
        return "TOTAL_FAILED"
    return "TOTAL_PASSED" if trusted else "INDETERMINATE"


def verify_pdf(data: bytes, trust_roots: Sequence[Path]) -> VerificationReport:
    roots = [load_cert_from_pemder(str(p)) for p in trust_roots]  # type: ignore[no-untyped-call]
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        raise InputError(
            f"the PDF cannot be read for verification ({exc})", fix="check that it is a PDF"
        ) from None
    reports = []
    for sig in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:
            reports.append(
                SignatureReport(
                    sig.field_name, "?", None, False, False, False, "unknown", str(exc), "TOTAL_FAILED"
                )
            )
            continue
        signer = status.signing_cert.subject.human_friendly if status.signing_cert else "?"
        when = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None
        reports.append(
            SignatureReport(
                field=sig.field_name,
                signer=signer,
                signing_time=when,
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                coverage=status.coverage.name if status.coverage else "unknown",
                modification_level=status.modification_level.name if status.modification_level else "unknown",
                verdict=_verdict(status.intact, status.valid, status.trusted),
            )
        )
    return VerificationReport(tuple(reports))
