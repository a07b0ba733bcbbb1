"""Revocation by OCSP (RFC 6960): ask the responder a certificate names, and check what it answers.

Used before signing (a certificate revoked at its CA's responder is refused, and the response is embedded
in B-LT/B-LTA copies) and by `digitize verify` (the status of each signer's certificate). A response counts
only when it is signed by the issuing CA, or by a responder certificate the CA issued for OCSP signing, and
is about this certificate and current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from digitize.errors import ConfigError, SigningError

MODES = ("off", "soft", "hard")
#: How far a responder's clock may run ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class OcspStatus:
    status: str  # good, revoked, unknown (the responder does not know it), unreachable, invalid, none
    responder: str = ""
    detail: str = ""
    revoked_at: datetime | None = None
    response: bytes = b""  # DER of a checked response, to embed (B-LT, B-LTA)

    def to_dict(self) -> dict[str, str | None]:
        revoked = self.revoked_at.isoformat() if self.revoked_at else None
        return {
            "status": self.status,
            "responder": self.responder,
            "detail": self.detail,
            "revoked_at": revoked,
        }


def responder_url(cert: x509.Certificate) -> str | None:
    """The OCSP responder named in the certificate's Authority Information Access, if any."""
    try:
        access = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    urls = [
        d.access_location.value
        for d in access
        if d.access_method == AuthorityInformationAccessOID.OCSP
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
    ]
    return urls[0] if urls else None


def query(cert: x509.Certificate, issuer: x509.Certificate, timeout_s: float) -> OcspStatus:
    """Ask the certificate's responder; never raises (an unreachable or bad answer is a status)."""
    url = responder_url(cert)
    if url is None:
        return OcspStatus("none", detail="the certificate names no OCSP responder")
    request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()
    try:
        answer = requests.post(
            url,
            data=request.public_bytes(serialization.Encoding.DER),
            headers={"Content-Type": "application/ocsp-request"},
            timeout=timeout_s,
        )
        answer.raise_for_status()
    except requests.RequestException as exc:
        return OcspStatus("unreachable", url, f"{exc.__class__.__name__}")
    return check_response(answer.content, cert, issuer, url)


def check_response(der: bytes, cert: x509.Certificate, issuer: x509.Certificate, url: str = "") -> OcspStatus:
    """What a DER OCSP response says about cert, if it is genuine, about cert and current."""
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        return OcspStatus("invalid", url, f"not an OCSP response ({exc})")
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        return OcspStatus("invalid", url, f"responder answered {response.response_status.name}")
    problem = _problem(response, cert, issuer)
    if problem:
        return OcspStatus("invalid", url, problem)
    status = response.certificate_status
    if status == ocsp.OCSPCertStatus.REVOKED:
        return OcspStatus("revoked", url, "revoked by the CA", response.revocation_time_utc, der)
    if status == ocsp.OCSPCertStatus.UNKNOWN:
        return OcspStatus("unknown", url, "the responder does not know this certificate", None, der)
    return OcspStatus("good", url, "", None, der)


def _problem(response: ocsp.OCSPResponse, cert: x509.Certificate, issuer: x509.Certificate) -> str:
    if response.serial_number != cert.serial_number:
        return "the response is about another certificate"
    signer = _response_signer(response, issuer)
    if signer is None:
        return "the response is not signed by the CA or a responder it authorised"
    try:
        _verify(signer.public_key(), response.signature, response.tbs_response_bytes, response)
    except (InvalidSignature, TypeError):
        return "the response's signature does not verify"
    now = datetime.now(UTC)
    if response.this_update_utc > now + CLOCK_SKEW:
        return "the response is dated in the future"
    if response.next_update_utc is not None and response.next_update_utc < now - CLOCK_SKEW:
        return "the response is out of date"
    return ""


def _response_signer(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> x509.Certificate | None:
    if _is_responder(response, issuer):
        return issuer
    for candidate in response.certificates:  # a delegated responder: issued by the CA for OCSP signing
        if candidate.issuer != issuer.subject or not _is_responder(response, candidate):
            continue
        try:
            usage = candidate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            _verify(issuer.public_key(), candidate.signature, candidate.tbs_certificate_bytes, candidate)
        except (x509.ExtensionNotFound, InvalidSignature, TypeError):
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING in usage:
            return candidate
    return None


def _is_responder(response: ocsp.OCSPResponse, cert: x509.Certificate) -> bool:
    if response.responder_name is not None:
        return response.responder_name == cert.subject
    digest = hashes.Hash(hashes.SHA1())
    digest.update(
        cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    )
    return response.responder_key_hash == digest.finalize()


def _verify(key: object, signature: bytes, data: bytes, signed: ocsp.OCSPResponse | x509.Certificate) -> None:
    algorithm = signed.signature_hash_algorithm
    if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
        key.verify(signature, data, padding.PKCS1v15(), algorithm)
    elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
        key.verify(signature, data, ec.ECDSA(algorithm))
    else:
        raise TypeError("unsupported key type for OCSP")


def require_good(
    cert: x509.Certificate, issuer: x509.Certificate | None, mode: str, timeout_s: float
) -> OcspStatus:
    """Before signing: refuse a revoked certificate; in hard mode also one whose status cannot be had."""
    if mode not in MODES:
        raise ConfigError(f"unknown signing.ocsp {mode!r}", fix=f"use one of {MODES}")
    if mode == "off" or issuer is None:
        return OcspStatus("none", detail="not checked")
    status = query(cert, issuer, timeout_s)
    name = cert.subject.rfc4514_string()
    if status.status == "revoked":
        when = f" on {status.revoked_at:%Y-%m-%d}" if status.revoked_at else ""
        raise SigningError(
            f"the signing certificate '{name}' was revoked{when} (OCSP, {status.responder})",
            fix="stop using this key; get a new certificate from the CA and configure it",
        )
    if mode == "hard" and status.status not in ("good", "none"):
        raise SigningError(
            f"the revocation status of '{name}' cannot be confirmed: {status.status} ({status.detail})",
            fix="check that the CA's OCSP responder is reachable, or set signing.ocsp = soft",
        )
    return status


def issuer_of(cert: x509.Certificate, candidates: list[x509.Certificate]) -> x509.Certificate | None:
    return next((c for c in candidates if c.subject == cert.issuer and c != cert), None)
