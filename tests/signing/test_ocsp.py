"""OCSP against a real responder on loopback: good, revoked and unreachable, before signing, while a
long-running signer works, embedded in B-LT copies, and in `verify`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest
from cryptography import x509

from digitize.config import Config, SigningConfig
from digitize.engines.placeholder import PlaceholderEngine
from digitize.errors import SigningError
from digitize.model import SourceDocument
from digitize.pipeline import digitize_document
from signing.certificates import load_crl_files, signer_certificate
from signing.ocsp import check_response, query
from signing.sign import PadesSigner
from signing.signers import load_pkcs12
from signing.testocsp import LoopbackOcspResponder
from signing.testpki import TestPki, create_test_pki
from signing.timestamps import local_pki_timestamper
from signing.verify import verify_pdf
from tests.conftest import SAMPLES
from tests.servers import free_port


@pytest.fixture(scope="module")
def ocsp_pki(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestPki, int]:
    port = free_port()
    folder = tmp_path_factory.mktemp("ocsp-pki")
    return create_test_pki(folder, "Bộ phận Một cửa OCSP", ocsp_url=f"http://127.0.0.1:{port}/ocsp"), port


@pytest.fixture
def responder(ocsp_pki: tuple[TestPki, int]) -> Iterator[LoopbackOcspResponder]:
    pki, port = ocsp_pki
    with LoopbackOcspResponder(pki, port) as server:
        yield server


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    source = SourceDocument("letter.pdf", (SAMPLES / "admin_letter_2pages.pdf").read_bytes())
    return digitize_document(source, Config(), PlaceholderEngine(), None).pdf


def _seal(pki: TestPki, **config: object) -> PadesSigner:
    crls = load_crl_files(pki.crls)
    settings = replace(SigningConfig(level="B-LT", ocsp_timeout_s=2.0), **config)  # type: ignore[arg-type]
    signer = load_pkcs12(pki.seal_p12, pki.passphrase, crls)
    return PadesSigner(signer, settings, (pki.root_pem,), local_pki_timestamper(pki), crls)


def _serial(pki: TestPki) -> int:
    return signer_certificate(load_pkcs12(pki.seal_p12, pki.passphrase)).serial_number


def test_good_status_is_embedded_in_b_lt_and_reported_by_verify(
    ocsp_pki: tuple[TestPki, int], responder: LoopbackOcspResponder, unsigned: bytes
) -> None:
    pki = ocsp_pki[0]
    signed, summary = _seal(pki).sign(unsigned)
    assert summary.valid and responder.requests >= 1
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        assert len(pdf.Root.DSS.OCSPs) >= 1  # the responder's answer travels with the copy
    (report,) = verify_pdf(signed, [pki.root_pem], ocsp_timeout_s=2.0).signatures
    assert (report.verdict, report.ocsp, report.revoked) == ("TOTAL_PASSED", "good", False)


def test_a_certificate_revoked_at_the_responder_is_refused_before_signing(
    ocsp_pki: tuple[TestPki, int], responder: LoopbackOcspResponder
) -> None:
    pki = ocsp_pki[0]
    responder.revoke(_serial(pki))
    with pytest.raises(SigningError, match="was revoked on .* \\(OCSP"):
        _seal(pki)
    with pytest.raises(SigningError, match="revoked"):
        _seal(pki, ocsp="hard")


def test_a_running_signer_stops_once_its_certificate_is_revoked(
    ocsp_pki: tuple[TestPki, int], responder: LoopbackOcspResponder, unsigned: bytes
) -> None:
    pki = ocsp_pki[0]
    signer = _seal(pki, ocsp_max_age_s=0.0, level="B-T")
    signer.sign(unsigned)
    responder.revoke(_serial(pki))
    with pytest.raises(SigningError, match="revoked"):
        signer.sign(unsigned)


def test_verify_reports_a_certificate_revoked_before_the_signature(
    ocsp_pki: tuple[TestPki, int], responder: LoopbackOcspResponder, unsigned: bytes
) -> None:
    pki = ocsp_pki[0]
    signed, _ = _seal(pki, level="B-T").sign(unsigned)
    responder.revoked[_serial(pki)] = datetime.now(UTC) - timedelta(hours=1)  # compromise found out later
    (report,) = verify_pdf(signed, [pki.root_pem], ocsp_timeout_s=2.0).signatures
    assert (report.ocsp, report.revoked, report.verdict) == ("revoked", True, "TOTAL_FAILED")
    responder.revoked[_serial(pki)] = datetime.now(UTC) + timedelta(hours=1)  # revoked after signing
    (later,) = verify_pdf(signed, [pki.root_pem], ocsp_timeout_s=2.0).signatures
    assert (later.ocsp, later.revoked) == ("revoked", False) and later.verdict == "TOTAL_PASSED"


def test_an_unreachable_responder_is_a_warning_in_soft_mode_and_a_refusal_in_hard_mode(
    ocsp_pki: tuple[TestPki, int], unsigned: bytes
) -> None:
    pki = ocsp_pki[0]  # no responder running on its port
    signed, summary = _seal(pki, level="B-T").sign(unsigned)
    assert summary.valid
    with pytest.raises(SigningError, match="cannot be confirmed: unreachable"):
        _seal(pki, ocsp="hard")
    (report,) = verify_pdf(signed, [pki.root_pem], ocsp_timeout_s=1.0).signatures
    assert report.ocsp == "unreachable" and report.verdict == "TOTAL_PASSED"


def test_unknown_and_forged_answers_are_not_believed(
    ocsp_pki: tuple[TestPki, int], responder: LoopbackOcspResponder, tmp_path: Path
) -> None:
    pki = ocsp_pki[0]
    cert = signer_certificate(load_pkcs12(pki.seal_p12, pki.passphrase))
    issuer = x509.load_pem_x509_certificate(pki.intermediate_pem.read_bytes())
    responder.known = set()
    assert query(cert, issuer, 2.0).status == "unknown"
    with pytest.raises(SigningError, match="cannot be confirmed: unknown"):
        _seal(pki, ocsp="hard")
    responder.known = None
    good = query(cert, issuer, 2.0)
    assert good.status == "good"
    other = create_test_pki(tmp_path / "other", "Khác")  # another CA's intermediate did not sign it
    stranger = x509.load_pem_x509_certificate(other.intermediate_pem.read_bytes())
    assert check_response(good.response, cert, stranger).status == "invalid"
    forged = bytearray(good.response)
    forged[-10] ^= 0x01
    assert check_response(bytes(forged), cert, issuer).status == "invalid"
