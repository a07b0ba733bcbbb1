"""Real PAdES signatures, checked by pyHanko and independently by poppler's pdfsig against an NSS store."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from digitize.config import SigningConfig
from digitize.errors import SigningError
from signing.sign import PadesSigner
from signing.signers import load_pkcs12
from signing.testpki import create_test_pki
from signing.verify import verify_pdf
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(SAMPLES / "admin_letter_2pages.pdf") as pdf:
        pdf.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def signer(pki: Any) -> PadesSigner:
    config = SigningConfig(level="B-B")
    return PadesSigner(load_pkcs12(pki.seal_p12, pki.passphrase), config, (pki.root_pem,))


@pytest.fixture(scope="module")
def signed(signer: PadesSigner, unsigned: bytes) -> bytes:
    data, summary = signer.sign(unsigned)
    assert summary.valid
    return data


def test_signature_is_valid_and_trusted(signed: bytes, pki: Any) -> None:
    report = verify_pdf(signed, [pki.root_pem])
    assert report.all_valid
    [sig] = report.signatures
    assert sig.intact and sig.trusted and sig.coverage == "ENTIRE_FILE"


def test_untrusted_root_is_not_a_pass(signed: bytes, tmp_path: Path) -> None:
    other = create_test_pki(tmp_path / "other", "Khác")
    report = verify_pdf(signed, [other.root_pem])
    assert not report.all_valid
    assert report.signatures[0].verdict == "INDETERMINATE"


def test_a_changed_byte_is_reported_invalid(signed: bytes, pki: Any) -> None:
    tampered = bytearray(signed)
    position = len(signed) // 3
    tampered[position] ^= 0x01
    report = verify_pdf(bytes(tampered), [pki.root_pem])
    assert not report.all_valid
    assert report.signatures[0].verdict == "TOTAL_FAILED"


def test_original_revision_is_kept_intact(signed: bytes, unsigned: bytes) -> None:
    assert signed.startswith(unsigned)  # an incremental update: earlier bytes untouched


def test_visible_mark_has_vietnamese_text(signed: bytes, tmp_path: Path) -> None:
    path = tmp_path / "s.pdf"
    path.write_bytes(signed)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Bản sao điện tử" in text
    assert "+07:00" in text  # ISO 8601, Vietnam time


def pdfsig(data: bytes, root_pem: Path, folder: Path) -> str:
    """poppler's pdfsig output for data, against an NSS store that trusts root_pem (independent check)."""
    nss = folder / "nss"
    if not nss.exists():
        nss.mkdir()
        subprocess.run(
            ["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True
        )
        subprocess.run(
            ["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i", str(root_pem)],
            check=True,
            capture_output=True,
        )
    path = folder / "checked.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True
    ).stdout


def test_pdfsig_with_nss_trusts_the_signature(signed: bytes, pki: Any, tmp_path: Path) -> None:
    out = pdfsig(signed, pki.root_pem, tmp_path)
    assert "Signature is Valid" in out, out
    assert "Certificate is Trusted" in out, out
    broken = bytearray(signed)
    broken[len(signed) // 3] ^= 0x01
    assert "Signature is Valid" not in pdfsig(bytes(broken), pki.root_pem, tmp_path)


def test_expired_certificate_is_refused(tmp_path: Path) -> None:
    old = create_test_pki(
        tmp_path / "old", "Cũ", seal_days=30, seal_start=datetime.now(UTC) - timedelta(days=400)
    )
    with pytest.raises(SigningError, match="expired"):
        load_pkcs12(old.seal_p12, old.passphrase)


def test_wrong_passphrase_is_a_clear_error(pki: Any) -> None:
    with pytest.raises(SigningError, match="wrong passphrase"):
        load_pkcs12(pki.seal_p12, b"wrong")
