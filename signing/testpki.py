"""A local test PKI: root → intermediate → organisation "second seal" certificate.

NOT FOR PRODUCTION. It exists so that the embedded default can sign and verify end to end on a machine
with no token and no CA. Every name in it says TEST, and the files live under `<data_dir>/test-pki/`.
"""

from __future__ import annotations

import fcntl
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TEST_LABEL = "TEST PKI - NOT FOR PRODUCTION"


@dataclass(frozen=True)
class TestPki:
    root_pem: Path
    intermediate_pem: Path
    seal_p12: Path
    passphrase: bytes


def _name(common: str, org: str = "So hoa test PKI") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, TEST_LABEL),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def issue(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
    not_before: datetime,
    days: int,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        # NSS (pdfsig) rejects documentSigning-only EKUs; emailProtection keeps independent validators happy.
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    builder = builder.add_extension(usage, critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def create_test_pki(
    folder: Path, agency: str, seal_days: int = 825, seal_start: datetime | None = None
) -> TestPki:
    """Write root.pem, intermediate.pem and seal.p12 (+ its passphrase) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(minutes=5)
    root_key, mid_key, seal_key = new_key(), new_key(), new_key()
    root_name, mid_name = _name("So hoa TEST Root CA"), _name("So hoa TEST Issuing CA")
    root = issue(root_name, root_key, root_name, root_key, ca=True, not_before=now, days=3650)
    mid = issue(mid_name, mid_key, root_name, root_key, ca=True, not_before=now, days=1825)
    seal_name = _name(f"{agency[:28].strip()} - dau thu 2 (TEST)", org=agency[:40])
    seal = issue(
        seal_name, seal_key, mid_name, mid_key, ca=False, not_before=seal_start or now, days=seal_days
    )
    passphrase = secrets.token_hex(16).encode()
    p12 = pkcs12.serialize_key_and_certificates(
        b"second-seal", seal_key, seal, [mid, root], serialization.BestAvailableEncryption(passphrase)
    )
    pki = TestPki(folder / "root.pem", folder / "intermediate.pem", folder / "seal.p12", passphrase)
    pki.root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    pki.intermediate_pem.write_bytes(mid.public_bytes(serialization.Encoding.PEM))
    pki.seal_p12.write_bytes(p12)
    (folder / "seal.passphrase").write_bytes(passphrase)
    (folder / "README.txt").write_text(f"{TEST_LABEL}\nMade by so hoa for local runs and tests only.\n")
    return pki


def ensure_test_pki(folder: Path, agency: str) -> TestPki:
    """The test PKI in folder, created on first use (under a file lock: workers may start together)."""
    files = [folder / n for n in ("root.pem", "intermediate.pem", "seal.p12", "seal.passphrase")]
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(f.exists() for f in files):
            return TestPki(files[0], files[1], files[2], files[3].read_bytes().strip())
        return create_test_pki(folder, agency)
