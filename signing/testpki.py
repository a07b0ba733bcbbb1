"""A local test PKI: root → intermediate → organisation "second seal", officer and TSA certificates,
with CRLs.

NOT FOR PRODUCTION. It exists so that the embedded default can sign, timestamp and verify end to end on a
machine with no token, no CA and no TSA. Every name in it says TEST, and the files live under
`<data_dir>/test-pki/`. The intermediate's key is kept (test only) so tests can revoke certificates.
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
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

TEST_LABEL = "TEST PKI - NOT FOR PRODUCTION"


@dataclass(frozen=True)
class TestPki:
    __test__ = False  # not a pytest test class

    root_pem: Path
    intermediate_pem: Path
    seal_p12: Path
    passphrase: bytes

    @property
    def folder(self) -> Path:
        return self.root_pem.parent

    @property
    def officer_p12(self) -> Path:
        return self.folder / "officer.p12"

    @property
    def tsa_pem(self) -> Path:
        return self.folder / "tsa.pem"

    @property
    def tsa_key_pem(self) -> Path:
        return self.folder / "tsa.key.pem"

    @property
    def crls(self) -> tuple[Path, Path]:
        """CRL of the root (covers the intermediate) and of the intermediate (covers seal, officer, TSA)."""
        return self.folder / "root.crl", self.folder / "intermediate.crl"


FILES = (
    "root.pem",
    "intermediate.pem",
    "seal.p12",
    "seal.passphrase",
    "officer.p12",
    "tsa.pem",
    "tsa.key.pem",
    "root.crl",
    "intermediate.crl",
    "intermediate.key.pem",
)


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
    key: rsa.RSAPrivateKey | rsa.RSAPublicKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
    not_before: datetime,
    days: int,
    eku: x509.ObjectIdentifier = ExtendedKeyUsageOID.EMAIL_PROTECTION,
    ocsp_url: str = "",
) -> x509.Certificate:
    public = key if isinstance(key, rsa.RSAPublicKey) else key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        # NSS (pdfsig) rejects documentSigning-only EKUs; emailProtection keeps independent validators happy.
        critical = eku == ExtendedKeyUsageOID.TIME_STAMPING  # RFC 3161 requires it critical for a TSA
        builder = builder.add_extension(x509.ExtendedKeyUsage([eku]), critical=critical)
    builder = builder.add_extension(usage, critical=True)
    if ocsp_url:  # where relying parties ask whether the certificate is revoked
        access = x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
        )
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def create_test_pki(
    folder: Path, agency: str, seal_days: int = 825, seal_start: datetime | None = None, ocsp_url: str = ""
) -> TestPki:
    """Write the root, intermediate, seal/officer PKCS#12 files, the TSA pair and CRLs into folder; with
    ocsp_url, the seal and officer certificates name that OCSP responder."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(minutes=5)
    root_key, mid_key = new_key(), new_key()
    root_name, mid_name = _name("So hoa TEST Root CA"), _name("So hoa TEST Issuing CA")
    root = issue(root_name, root_key, root_name, root_key, ca=True, not_before=now, days=3650)
    mid = issue(mid_name, mid_key, root_name, root_key, ca=True, not_before=now, days=1825)
    passphrase = secrets.token_hex(16).encode()
    pki = TestPki(folder / "root.pem", folder / "intermediate.pem", folder / "seal.p12", passphrase)
    seal_name = _name(f"{agency[:28].strip()} - dau thu 2 (TEST)", org=agency[:40])
    _write_p12(
        pki.seal_p12,
        b"second-seal",
        seal_name,
        (mid_name, mid_key),
        [mid, root],
        passphrase,
        seal_start or now,
        seal_days,
        ocsp_url,
    )
    officer_name = _name("Nguyen Van Can Bo (TEST officer)", org=agency[:40])
    _write_p12(
        pki.officer_p12,
        b"officer",
        officer_name,
        (mid_name, mid_key),
        [mid, root],
        passphrase,
        now,
        825,
        ocsp_url,
    )
    tsa_key = new_key()
    tsa = issue(
        _name("So hoa TEST TSA"),
        tsa_key,
        mid_name,
        mid_key,
        ca=False,
        not_before=now,
        days=1825,
        eku=ExtendedKeyUsageOID.TIME_STAMPING,
    )
    _write_pem(pki.tsa_pem, tsa.public_bytes(serialization.Encoding.PEM))
    _write_pem(pki.tsa_key_pem, _key_pem(tsa_key))
    _write_pem(folder / "intermediate.key.pem", _key_pem(mid_key))
    pki.root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    pki.intermediate_pem.write_bytes(mid.public_bytes(serialization.Encoding.PEM))
    pki.crls[0].write_bytes(make_crl(root_name, root_key, []))
    pki.crls[1].write_bytes(make_crl(mid_name, mid_key, []))
    (folder / "seal.passphrase").write_bytes(passphrase)
    (folder / "README.txt").write_text(f"{TEST_LABEL}\nMade by so hoa for local runs and tests only.\n")
    return pki


def _write_p12(
    path: Path,
    label: bytes,
    subject: x509.Name,
    issuer: tuple[x509.Name, rsa.RSAPrivateKey],
    chain: list[x509.Certificate],
    passphrase: bytes,
    start: datetime,
    days: int,
    ocsp_url: str = "",
) -> None:
    key = new_key()
    cert = issue(subject, key, issuer[0], issuer[1], ca=False, not_before=start, days=days, ocsp_url=ocsp_url)
    encryption = serialization.BestAvailableEncryption(passphrase)
    path.write_bytes(pkcs12.serialize_key_and_certificates(label, key, cert, chain, encryption))


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_pem(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def make_crl(issuer: x509.Name, issuer_key: rsa.RSAPrivateKey, revoked: list[int]) -> bytes:
    """A DER CRL valid for 30 days listing the given serial numbers."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    builder = x509.CertificateRevocationListBuilder().issuer_name(issuer)
    builder = builder.last_update(now).next_update(now + timedelta(days=30))
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build()
        )
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def revoke(pki: TestPki, serial: int) -> None:
    """Put a certificate issued by the intermediate on its CRL (tests of revocation refusal)."""
    mid = x509.load_pem_x509_certificate(pki.intermediate_pem.read_bytes())
    key = serialization.load_pem_private_key((pki.folder / "intermediate.key.pem").read_bytes(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    current = x509.load_der_x509_crl(pki.crls[1].read_bytes())
    serials = [r.serial_number for r in current] + [serial]
    pki.crls[1].write_bytes(make_crl(mid.subject, key, serials))


def ensure_test_pki(folder: Path, agency: str) -> TestPki:
    """The test PKI in folder, created on first use (under a file lock: workers may start together)."""
    files = [folder / n for n in FILES]
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(f.exists() for f in files):
            return TestPki(files[0], files[1], files[2], files[3].read_bytes().strip())
        # First use, or a folder from an older version without officer, TSA and CRLs: make a new one.
        return create_test_pki(folder, agency)


def certify_public_key(pki: TestPki, public_key_der: bytes, common_name: str, org: str) -> bytes:
    """A seal certificate (DER) from the test intermediate for a key made elsewhere (e.g. on a token)."""
    public_key = serialization.load_der_public_key(public_key_der)
    assert isinstance(public_key, rsa.RSAPublicKey)
    mid = x509.load_pem_x509_certificate(pki.intermediate_pem.read_bytes())
    mid_key = serialization.load_pem_private_key((pki.folder / "intermediate.key.pem").read_bytes(), None)
    assert isinstance(mid_key, rsa.RSAPrivateKey)
    now = datetime.now(UTC) - timedelta(minutes=5)
    cert = issue(
        _name(common_name, org=org), public_key, mid.subject, mid_key, ca=False, not_before=now, days=825
    )
    return cert.public_bytes(serialization.Encoding.DER)
