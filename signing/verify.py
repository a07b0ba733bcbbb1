"""Verification of signed PDFs, returned as data (a report per signature and an overall verdict).

Kept apart from signing: `digitize verify` and the tests use it on any file, and it never raises for an
invalid signature — invalid is a verdict, not an error.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from digitize.errors import InputError
from digitize.indicators import VIETNAM
from signing.ocsp import issuer_of, query


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
    kind: str = "signature"  # signature, or document timestamp (B-LTA)
    timestamp: str | None = None  # time in the RFC 3161 signature timestamp, when there is one
    level: str = "B-B"  # B-B, B-T, B-LT or B-LTA as far as this file shows
    revoked: bool = False
    reason: str = ""  # the signature's /Reason: copy type and role (officer or seal)
    ocsp: str = (
        "not checked"  # the signer certificate's OCSP status: good, revoked, unknown, unreachable, ...
    )


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


def _level(has_timestamp: bool, has_dss: bool, doc_timestamp_after: bool) -> str:
    if not has_timestamp:
        return "B-B"
    if not has_dss:
        return "B-T"
    return "B-LTA" if doc_timestamp_after else "B-LT"


VIETNAM_TIME = VIETNAM  # the project's one Vietnam time zone (digitize.indicators)


def vietnam_iso(moment: datetime | None) -> str | None:
    """ISO 8601 in Vietnam time (UTC+07:00), as the digitization guide asks for signing times."""
    return moment.astimezone(VIETNAM_TIME).isoformat() if moment else None


#: Changes after signing that keep a signature valid: none, DSS/timestamps (LTA updates), form filling.
ALLOWED_CHANGES = ("NONE", "LTA_UPDATES", "FORM_FILLING")


def _verdict(intact: bool, valid: bool, trusted: bool, changes: str = "NONE") -> str:
    if not intact or not valid or changes not in ALLOWED_CHANGES:
        return "TOTAL_FAILED"
    return "TOTAL_PASSED" if trusted else "INDETERMINATE"


def verify_pdf(
    data: bytes, trust_roots: Sequence[Path], crls: Sequence[bytes] = (), ocsp_timeout_s: float | None = None
) -> VerificationReport:
    """One report per signature and document timestamp; CRLs given here or embedded (DSS) are used, and
    OCSP responses embedded in the DSS. With ocsp_timeout_s, each signer certificate's OCSP responder is
    also asked: a certificate revoked before the signature was made fails it."""
    roots = [load_cert_from_pemder(str(p)) for p in trust_roots]  # type: ignore[no-untyped-call]
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
        has_dss = "/DSS" in reader.root
    except Exception as exc:
        raise InputError(
            f"the PDF cannot be read for verification ({exc})", fix="check that it is a PDF"
        ) from None
    embedded_crls = _dss_streams(reader, "/CRLs") if has_dss else []
    embedded_ocsps = _dss_streams(reader, "/OCSPs") if has_dss else []
    reports = []
    for index, sig in enumerate(embedded):
        context = ValidationContext(
            trust_roots=roots,
            crls=[*crls, *embedded_crls],
            ocsps=embedded_ocsps,
            allow_fetching=False,
            revocation_mode="soft-fail",
        )
        later_doc_ts = any(_is_doc_timestamp(s) for s in embedded[index + 1 :])
        report = _report(sig, context, has_dss, later_doc_ts)
        if ocsp_timeout_s is not None and report.kind == "signature":
            report = _with_ocsp(report, sig, ocsp_timeout_s)
        reports.append(report)
    return VerificationReport(tuple(reports))


def _with_ocsp(report: SignatureReport, sig: EmbeddedPdfSignature, timeout_s: float) -> SignatureReport:
    """The report with the signer certificate's status from its OCSP responder, asked now."""
    try:
        certs = [x509.load_der_x509_certificate(c.chosen.dump()) for c in sig.signed_data["certificates"]]
        signer = x509.load_der_x509_certificate(sig.signer_cert.dump())
    except Exception:
        return replace(report, ocsp="invalid")
    issuer = issuer_of(signer, certs)
    if issuer is None:
        return replace(report, ocsp="none")
    status = query(signer, issuer, timeout_s)
    signed_at = datetime.fromisoformat(report.timestamp or report.signing_time or "9999-12-31T00:00:00+00:00")
    if status.status == "revoked" and (status.revoked_at is None or status.revoked_at <= signed_at):
        return replace(report, ocsp="revoked", revoked=True, trusted=False, verdict="TOTAL_FAILED")
    return replace(report, ocsp=status.status)


def _is_doc_timestamp(sig: EmbeddedPdfSignature) -> bool:
    return str(sig.sig_object.get("/Type", "")) == "/DocTimeStamp"


def _dss_streams(reader: PdfFileReader, key: str) -> list[bytes]:
    try:
        return [stream.data for stream in reader.root["/DSS"].get(key, [])]
    except Exception:
        return []


def _report(
    sig: EmbeddedPdfSignature, context: ValidationContext, has_dss: bool, later_doc_ts: bool
) -> SignatureReport:
    try:
        if _is_doc_timestamp(sig):
            ts_status = validate_pdf_timestamp(sig, validation_context=context)
            when = vietnam_iso(ts_status.timestamp)
            verdict = _verdict(ts_status.intact, ts_status.valid, ts_status.trusted)
            return SignatureReport(
                sig.field_name,
                "TSA",
                when,
                ts_status.intact,
                ts_status.valid,
                ts_status.trusted,
                "ENTIRE_FILE",
                "NONE",
                verdict,
                "document timestamp",
                when,
                "B-LTA",
            )
        status = validate_pdf_signature(sig, context)
    except Exception as exc:
        return SignatureReport(
            sig.field_name, "?", None, False, False, False, "unknown", str(exc), "TOTAL_FAILED"
        )
    stamp = status.timestamp_validity
    timestamp = vietnam_iso(stamp.timestamp) if stamp is not None else None
    revoked = bool(getattr(status, "revoked", False))
    changes = status.modification_level.name if status.modification_level else "unknown"
    return SignatureReport(
        field=sig.field_name,
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "?",
        signing_time=vietnam_iso(status.signer_reported_dt),
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted and not revoked,
        coverage=status.coverage.name if status.coverage else "unknown",
        modification_level=changes,
        verdict="TOTAL_FAILED" if revoked else _verdict(status.intact, status.valid, status.trusted, changes),
        timestamp=timestamp,
        level=_level(stamp is not None, has_dss, later_doc_ts),
        revoked=revoked,
        reason=str(sig.sig_object.get("/Reason", "")),
    )
