"""Checks on a signing certificate before any document is signed with it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from digitize.errors import SigningError


def subject_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def signer_certificate(signer: Any) -> x509.Certificate:
    """The signing certificate of a pyHanko signer, as a `cryptography` certificate."""
    cert = getattr(signer, "signing_cert", None)
    if cert is None:
        raise SigningError(
            "the signer has no certificate", fix="check that the key source holds the seal certificate"
        )
    return x509.load_der_x509_certificate(cert.dump())


def check_signing_certificate(
    cert: x509.Certificate, now: datetime | None = None, crls: tuple[bytes, ...] = ()
) -> None:
    """Refuse a certificate that is expired, not yet valid, revoked (by a given CRL) or not for signing."""
    now = now or datetime.now(UTC)
    name = subject_name(cert)
    _check_revocation(cert, crls, name)
    if now > cert.not_valid_after_utc:
        raise SigningError(
            f"the signing certificate '{name}' expired on {cert.not_valid_after_utc:%Y-%m-%d}",
            fix="renew the certificate with the CA and configure the new PKCS#12 file",
        )
    if now < cert.not_valid_before_utc:
        raise SigningError(
            f"the signing certificate '{name}' is not valid before {cert.not_valid_before_utc:%Y-%m-%d}",
            fix="check the machine's clock or wait until the certificate is valid",
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise SigningError(
            f"the certificate '{name}' does not allow digital signatures (key usage)",
            fix="use a signing certificate (key usage digitalSignature / nonRepudiation)",
        )


def _check_revocation(cert: x509.Certificate, crls: tuple[bytes, ...], name: str) -> None:
    for der in crls:
        crl = x509.load_der_x509_crl(der)
        if crl.issuer != cert.issuer:
            continue
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None:
            raise SigningError(
                f"the signing certificate '{name}' was revoked on {entry.revocation_date_utc:%Y-%m-%d}",
                fix="stop using this key; get a new certificate from the CA and configure it",
            )


def load_crl_files(paths: Sequence[Path]) -> tuple[bytes, ...]:
    """CRLs as DER bytes (PEM files are converted), for the revocation check and B-LT embedding."""
    crls = []
    for path in paths:
        data = path.read_bytes()
        pem = data.lstrip().startswith(b"-----")
        crl = x509.load_pem_x509_crl(data) if pem else x509.load_der_x509_crl(data)
        crls.append(crl.public_bytes(Encoding.DER))
    return tuple(crls)
