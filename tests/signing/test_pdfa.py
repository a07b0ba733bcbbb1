"""Every PDF the project writes is PDF/A-2b as an independent validator (pikepdf's) reads it: as built,
after each signature (officer, seal, B-LT and B-LTA revisions), for every document type, multi-page
copies and re-issued copies. The only finding allowed is the expected `unsupported` one for the signature
form (`signing.pdfa.EXPECTED_UNSUPPORTED`). The XMP is the one place for metadata (no Info dictionary)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from digitize.config import SigningConfig
from digitize.stages.xmp import FIELDS, guide_fields
from signing.certificates import load_crl_files
from signing.pdfa import check_pdfa
from signing.sign import PadesSigner, SignerChain, unsigned_base
from signing.signers import load_pkcs12
from signing.testpki import TestPki
from signing.timestamps import local_pki_timestamper
from signing.verify import verify_pdf
from tests.signing.test_sign import pdfsig


def assert_pdfa(data: bytes, what: str) -> None:
    report = check_pdfa(data)
    assert report.claimed and report.violations == (), (what, report.violations)
    assert report.unexplained() == (), (what, report.unsupported)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Info" not in pdf.trailer, what  # nothing that could disagree with the XMP


@pytest.fixture(scope="module")
def copies(sample_run: dict[str, Any]) -> dict[str, bytes]:
    """The signed copies `digitize run sample_scans/` wrote: every document type, one and two pages."""
    assert sample_run["proc"].returncode == 1, sample_run["proc"].stderr  # the bad files failed alone
    return {p.name: p.read_bytes() for p in sorted(sample_run["out"].glob("*.pdf"))}


def test_every_copy_of_a_run_is_pdfa_before_and_after_its_seal(copies: dict[str, bytes]) -> None:
    assert len(copies) == 9 and {"marriage_extract_2pages.pdf", "birth_register_page_phone.pdf"} <= set(
        copies
    )
    for name, signed in copies.items():
        assert_pdfa(unsigned_base(signed), f"{name} as built")
        assert_pdfa(signed, f"{name} sealed")


def test_the_guide_metadata_is_in_the_xmp_by_name(copies: dict[str, bytes]) -> None:
    with pikepdf.open(io.BytesIO(copies["birth_extract_clean.pdf"])) as pdf:
        meta = pdf.open_metadata()
        fields = guide_fields(list(meta["xmp:Identifier"]))
        assert set(fields) <= set(FIELDS) and {"TypeName", "CodeNumber", "IssuedDate", "OrganName"} <= set(
            fields
        )
        assert fields["TypeName"] == "Trích lục khai sinh" and fields["CodeNumber"] == "206"
        assert meta["dc:identifier"] == "206/TLKS-BS" and meta["pdfaid:part"] == "2"
        assert meta["pdf:Producer"].startswith("pyHanko")  # the last writer, in the signing revision


def _signer(pki: TestPki, p12: Path, level: str, role: str) -> PadesSigner:
    crls = load_crl_files(pki.crls)
    return PadesSigner(
        load_pkcs12(p12, pki.passphrase, crls),
        SigningConfig(level=level),
        (pki.root_pem,),
        local_pki_timestamper(pki),
        crls,
        role=role,
    )


@pytest.mark.parametrize("level", ["B-T", "B-LT", "B-LTA"])
def test_officer_then_seal_revisions_stay_pdfa_and_trusted_by_nss(
    copies: dict[str, bytes], pki: TestPki, level: str, tmp_path: Path
) -> None:
    base = unsigned_base(copies["marriage_extract_2pages.pdf"])
    officer = _signer(pki, pki.officer_p12, "B-T", "officer")
    seal = _signer(pki, pki.seal_p12, level, "seal")
    first, _ = officer.sign(base)
    assert_pdfa(first, "officer")
    both, summary = SignerChain((officer, seal)).sign(base)
    assert summary.valid
    assert_pdfa(both, f"officer + seal {level}")
    out = pdfsig(both, pki.root_pem, tmp_path)
    # poppler 22 verifies CAdES signatures; the B-LTA document timestamp (RFC 3161) only pyHanko checks
    signatures = out.count("Signature Type: ETSI.CAdES.detached")
    assert signatures == 2 and out.count("Signature is Valid") == signatures, out
    assert out.count("Certificate is Trusted") == signatures, out
    assert verify_pdf(both, [pki.root_pem]).all_valid


def test_a_reissued_copy_is_the_same_image_signed_again(copies: dict[str, bytes], pki: TestPki) -> None:
    signed = copies["birth_register_page_clean.pdf"]
    reissued, summary = _signer(pki, pki.seal_p12, "B-T", "seal").sign(unsigned_base(signed))
    assert summary.valid and reissued.startswith(unsigned_base(signed))
    assert_pdfa(reissued, "re-issued")
