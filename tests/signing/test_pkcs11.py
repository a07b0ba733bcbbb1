"""Signing with a key generated on a real PKCS#11 token (SoftHSM2), through `build_signer`."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from digitize.config import Config, SigningConfig
from digitize.engines.placeholder import PlaceholderEngine
from digitize.errors import SigningError
from digitize.model import SourceDocument
from digitize.pipeline import digitize_document
from signing.signers import build_signer
from signing.testpki import TestPki, certify_public_key, ensure_test_pki
from signing.verify import verify_pdf
from tests.conftest import SAMPLES
from tests.signing.test_sign import pdfsig

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN, SO_PIN = "246810", "13579111"

pytestmark = pytest.mark.skipif(
    not (Path(MODULE).exists() and shutil.which("pkcs11-tool")),
    reason="softhsm2 and opensc are installed by setup",
)


@dataclass(frozen=True)
class Token:
    pki: TestPki
    data_dir: Path
    label: str = "org-seal"


def tool(*args: str) -> bytes:
    command = ["pkcs11-tool", "--module", MODULE, "--token-label", "org-seal", "--login", "--pin", PIN, *args]
    return subprocess.run(command, check=True, capture_output=True).stdout


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    """A fresh SoftHSM2 token holding a key generated on it and its certificate from the test PKI."""
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", "org-seal", "--pin", PIN, "--so-pin", SO_PIN],
        check=True,
        capture_output=True,
    )
    tool("--keypairgen", "--key-type", "rsa:2048", "--label", "seal", "--id", "01")
    public = tool("--read-object", "--type", "pubkey", "--label", "seal")
    data_dir = folder / "data"
    pki = ensure_test_pki(data_dir / "test-pki", "Bộ phận Một cửa thử nghiệm")
    cert = folder / "seal.der"
    cert.write_bytes(certify_public_key(pki, public, "Mot cua TEST - dau thu 2 (HSM)", "So hoa TEST"))
    tool("--write-object", str(cert), "--type", "cert", "--label", "seal", "--id", "01")
    yield Token(pki, data_dir)
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def token_config(token: Token, **extra: object) -> SigningConfig:
    config = SigningConfig(
        mode="pkcs11",
        pkcs11_module=MODULE,
        pkcs11_token_label=token.label,
        pkcs11_key_label="seal",
        chain_paths=(str(token.pki.intermediate_pem),),
        trust_roots=(str(token.pki.root_pem),),
        level="B-B",
    )
    return replace(config, **extra)  # type: ignore[arg-type]


def test_key_generated_on_the_token_signs_a_valid_copy(
    token: Token, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOHOA_PKCS11_PIN", PIN)
    signer = build_signer(token_config(token), token.data_dir)
    source = SourceDocument("letter.pdf", (SAMPLES / "admin_letter_2pages.pdf").read_bytes())
    unsigned = digitize_document(source, Config(), PlaceholderEngine(), None).pdf
    signed, summary = signer.sign(unsigned)
    assert summary.valid and "HSM" in summary.signer
    assert verify_pdf(signed, [token.pki.root_pem]).all_valid
    out = pdfsig(signed, token.pki.root_pem, tmp_path)
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out


def test_wrong_pin_and_missing_key_are_clear_errors(token: Token, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_PKCS11_PIN", "000000")
    with pytest.raises(SigningError, match="cannot use the PKCS#11 token"):
        build_signer(token_config(token), token.data_dir)
    monkeypatch.setenv("SOHOA_PKCS11_PIN", PIN)
    with pytest.raises(SigningError, match="cannot use the PKCS#11 token"):
        build_signer(token_config(token, pkcs11_key_label="no-such-key"), token.data_dir)
