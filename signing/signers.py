"""Key sources. A key is loaded once per process (a worker signs many documents with it)."""

from __future__ import annotations

import os
from pathlib import Path

from pyhanko.sign import signers

from digitize.config import SigningConfig
from digitize.errors import ConfigError, SigningError
from signing.certificates import check_signing_certificate, signer_certificate
from signing.sign import PadesSigner
from signing.testpki import ensure_test_pki


def load_pkcs12(path: Path, passphrase: bytes) -> signers.SimpleSigner:
    """A pyHanko signer from a PKCS#12 file, its certificate checked before use."""
    if not path.exists():
        raise SigningError(
            f"PKCS#12 file {path} does not exist", fix="set signing.pkcs12_path to the seal's .p12 file"
        )
    try:
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            pfx_file=str(path), passphrase=passphrase
        )
    except ValueError:
        signer = None
    if signer is None:
        raise SigningError(
            f"cannot open PKCS#12 file {path} (wrong passphrase or damaged file)",
            fix="check the passphrase variable named by signing.pkcs12_passphrase_env",
        )
    check_signing_certificate(signer_certificate(signer))
    return signer


def build_signer(config: SigningConfig, data_dir: Path) -> PadesSigner:
    """The process's one signer, from configuration (test PKI on first run in test-pki mode)."""
    roots = tuple(Path(p) for p in config.trust_roots)
    if config.mode == "test-pki":
        pki = ensure_test_pki(data_dir / "test-pki", config.agency)
        return PadesSigner(load_pkcs12(pki.seal_p12, pki.passphrase), config, (pki.root_pem, *roots))
    if config.mode == "pkcs12":
        passphrase = os.environ.get(config.pkcs12_passphrase_env)
        if passphrase is None:
            raise ConfigError(
                f"environment variable {config.pkcs12_passphrase_env} (PKCS#12 passphrase) is not set",
                fix="export it before starting, or point signing.pkcs12_passphrase_env at the right variable",
            )
        return PadesSigner(load_pkcs12(Path(config.pkcs12_path), passphrase.encode()), config, roots)
    raise ConfigError(f"unknown signing.mode {config.mode!r}", fix='use "test-pki" or "pkcs12"')
