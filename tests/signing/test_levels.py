"""PAdES levels with a real RFC 3161 TSA on loopback, CRLs, two signers in turn, refusals and tampering.

Every produced file is also checked independently with poppler's pdfsig against an NSS store.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from digitize.config import Config, SigningConfig
from digitize.engines.placeholder import PlaceholderEngine
from digitize.errors import InputError, SigningError
from digitize.model import SourceDocument
from digitize.pipeline import digitize_document
from signing.certificates import load_crl_files
from signing.sign import PadesSigner
from signing.signers import load_pkcs12
from signing.testpki import TestPki, create_test_pki, revoke
from signing.timestamps import LoopbackTsaServer, http_timestamper, local_pki_timestamper
from signing.verify import verify_pdf
from tests.conftest import SAMPLES
from tests.servers import free_port
from tests.signing.test_sign import pdfsig


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    """An unsigned PDF/A-2b as the pipeline builds it (text layer from the placeholder engine)."""
    source = SourceDocument("letter.pdf", (SAMPLES / "admin_letter_2pages.pdf").read_bytes())
    return digitize_document(source, Config(), PlaceholderEngine(), None).pdf


@pytest.fixture(scope="module")
def tsa(pki: TestPki) -> Any:
    with LoopbackTsaServer(pki) as server:
        yield server


def seal_signer(pki: TestPki, level: str, timestamper: Any, **config: Any) -> PadesSigner:
    crls = load_crl_files(pki.crls)
    signer = load_pkcs12(pki.seal_p12, pki.passphrase, crls)
    return PadesSigner(signer, SigningConfig(level=level, **config), (pki.root_pem,), timestamper, crls)


def test_b_t_over_http_tsa_on_loopback(pki: TestPki, tsa: Any, unsigned: bytes, tmp_path: Path) -> None:
    signed, summary = seal_signer(pki, "B-T", http_timestamper(tsa.url, 5)).sign(unsigned)
    assert summary.valid and summary.level == "B-T"
    (report,) = verify_pdf(signed, [pki.root_pem]).signatures
    assert report.verdict == "TOTAL_PASSED" and report.level == "B-T" and report.timestamp is not None
    out = pdfsig(signed, pki.root_pem, tmp_path)
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_embed_validation_data(
    pki: TestPki, unsigned: bytes, level: str, tmp_path: Path
) -> None:
    signed, summary = seal_signer(pki, level, local_pki_timestamper(pki)).sign(unsigned)
    assert summary.valid and summary.level == level
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        assert "/DSS" in pdf.Root and len(pdf.Root.DSS.CRLs) >= 1 and len(pdf.Root.DSS.Certs) >= 3
        assert pdf.open_metadata().get("pdfaid:part") == "2"  # still PDF/A-2 after the revisions
    report = verify_pdf(signed, [pki.root_pem])
    assert report.all_valid
    assert report.signatures[0].level == level
    if level == "B-LTA":
        assert [s.kind for s in report.signatures] == ["signature", "document timestamp"]
    assert "Signature is Valid" in pdfsig(signed, pki.root_pem, tmp_path)


def test_unreachable_tsa_falls_back_to_b_b_or_refuses(pki: TestPki, unsigned: bytes) -> None:
    dead = http_timestamper(f"http://127.0.0.1:{free_port()}/tsa", 2)
    signed, summary = seal_signer(pki, "B-T", dead).sign(unsigned)
    assert summary.valid and summary.level == "B-B"
    assert "timestamp authority unreachable" in summary.warnings[0]
    assert verify_pdf(signed, [pki.root_pem]).signatures[0].timestamp is None
    with pytest.raises(SigningError, match="timestamp authority did not answer"):
        seal_signer(pki, "B-T", dead, tsa_required=True).sign(unsigned)


def test_officer_then_seal_each_in_its_own_revision(
    pki: TestPki, tsa: Any, unsigned: bytes, tmp_path: Path
) -> None:
    officer = PadesSigner(
        load_pkcs12(pki.officer_p12, pki.passphrase),
        SigningConfig(level="B-T"),
        (pki.root_pem,),
        http_timestamper(tsa.url, 5),
        role="officer",
    )
    first, _ = officer.sign(unsigned)
    both, summary = seal_signer(pki, "B-T", http_timestamper(tsa.url, 5)).sign(first)
    assert summary.valid
    assert both.startswith(first)  # the officer's revision is kept byte for byte
    report = verify_pdf(both, [pki.root_pem])
    assert [s.field for s in report.signatures] == ["SoHoaSeal", "SoHoaSeal2"]
    assert "officer" in report.signatures[0].signer.lower() and report.all_valid
    assert pdfsig(both, pki.root_pem, tmp_path).count("Signature is Valid") == 2


def test_tampering_is_reported(pki: TestPki, tsa: Any, unsigned: bytes) -> None:
    signer = seal_signer(pki, "B-T", http_timestamper(tsa.url, 5))
    signed, _ = signer.sign(unsigned)
    # A page appended in a later, unsigned revision.
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (0, 0, 595, 842)]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
        }
    )
    writer.insert_page(page)
    appended = io.BytesIO()
    writer.write(appended)
    report = verify_pdf(appended.getvalue(), [pki.root_pem])
    assert report.signatures[0].modification_level == "OTHER" and not report.all_valid
    # A revision removed: the second signature's byte range no longer matches.
    twice, _ = signer.sign(signed)
    cut = twice[: len(unsigned)] + twice[len(signed) :]
    try:
        still_valid = verify_pdf(cut, [pki.root_pem]).all_valid
    except InputError:  # the cross-reference chain broke: `digitize verify` reports it and exits 1
        still_valid = False
    assert not still_valid


def test_revoked_certificate_is_refused(tmp_path: Path) -> None:
    fresh = create_test_pki(tmp_path / "pki", "Bộ phận Một cửa thử nghiệm")
    seal = load_pkcs12(fresh.seal_p12, fresh.passphrase)
    revoke(fresh, seal.signing_cert.serial_number)
    with pytest.raises(SigningError, match="revoked"):
        load_pkcs12(fresh.seal_p12, fresh.passphrase, load_crl_files(fresh.crls))


def test_configured_officer_and_seal_with_seal_image(tmp_path: Path) -> None:
    """signing.officer_signature: the pipeline's signer signs as officer, then seals with the seal image."""
    from PIL import Image, ImageDraw

    from signing.signers import build_signer

    seal_png = tmp_path / "seal.png"
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((5, 5, 195, 195), outline=(200, 0, 0, 255), width=8)
    image.save(seal_png)
    config = SigningConfig(officer_signature=True, seal_image=str(seal_png))
    signer = build_signer(config, tmp_path / "data")
    source = SourceDocument("letter.pdf", (SAMPLES / "admin_letter_2pages.pdf").read_bytes())
    result = digitize_document(source, Config(signing=config), PlaceholderEngine(), signer)
    assert result.signature is not None and result.signature.valid
    root = tmp_path / "data" / "test-pki" / "root.pem"
    report = verify_pdf(result.pdf, [root])
    assert report.all_valid and [s.level for s in report.signatures] == ["B-T", "B-T"]
    assert ["(officer)" in report.signatures[0].reason, "(seal)" in report.signatures[1].reason] == [
        True,
        True,
    ]
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert pdf.open_metadata().get("pdfaid:part") == "2"
    assert pdfsig(result.pdf, root, tmp_path).count("Signature is Valid") == 2


def test_tsa_fallback_is_recorded_on_the_document(pki: TestPki) -> None:
    dead = http_timestamper(f"http://127.0.0.1:{free_port()}/tsa", 2)
    source = SourceDocument("letter.pdf", (SAMPLES / "admin_letter_2pages.pdf").read_bytes())
    result = digitize_document(source, Config(), PlaceholderEngine(), seal_signer(pki, "B-T", dead))
    assert result.signature is not None and result.signature.level == "B-B"
    assert any("timestamp authority unreachable" in e for e in result.errors)
