"""Key sources. A key is loaded once per process (a worker signs many documents with it)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.keys import load_cert_from_pemder
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash  # type: ignore[attr-defined]

from digitize.config import SigningConfig
from digitize.errors import ConfigError, SigningError
from digitize.ports import DocumentSigner
from signing.certificates import check_signing_certificate, load_crl_files, signer_certificate
from signing.sign import PadesSigner, SignerChain
from signing.testpki import ensure_test_pki
from signing.timestamps import http_timestamper, local_pki_timestamper


class LoadedKeySigner(signers.SimpleSigner):
    """SimpleSigner that parses its private key once.

    pyHanko's SimpleSigner re-parses the key from DER (with RSA's consistency check) on every signature:
    about 70 ms of a ~100 ms signature here. The parsed key is kept for RSA PKCS#1 v1.5; any other
    mechanism goes through pyHanko's own path.
    """

    _parsed: RSAPrivateKey | None = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism["algorithm"].native not in ("rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa", "sha512_rsa"):
            return bytes(super().sign_raw(data, digest_algorithm))
        if self._parsed is None:
            key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            if not isinstance(key, RSAPrivateKey):
                return bytes(super().sign_raw(data, digest_algorithm))
            self._parsed = key
        return self._parsed.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


def load_pkcs12(path: Path, passphrase: bytes, crls: tuple[bytes, ...] = ()) -> signers.SimpleSigner:
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
    check_signing_certificate(signer_certificate(signer), crls=crls)
    return LoadedKeySigner(
        signing_cert=signer.signing_cert,
        signing_key=signer.signing_key,
        cert_registry=signer.cert_registry,
        signature_mechanism=signer.signature_mechanism,
        embed_roots=False,  # the verifier must trust the root anyway; embedding it only adds bytes and time
    )


def build_signer(config: SigningConfig, data_dir: Path) -> DocumentSigner:
    """The process's signer(s): the seal, preceded by the officer's signature when configured."""
    seal = build_seal_signer(config, data_dir)
    if not config.officer_signature:
        return seal
    if config.mode == "test-pki":
        pki = ensure_test_pki(data_dir / "test-pki", config.agency)
        officer_key = load_pkcs12(pki.officer_p12, pki.passphrase, seal.crls)
    else:
        passphrase = os.environ.get(config.officer_passphrase_env)
        if passphrase is None or not config.officer_pkcs12_path:
            raise ConfigError(
                "signing.officer_signature is on but the officer's PKCS#12 file or passphrase is missing",
                fix=f"set signing.officer_pkcs12_path and export {config.officer_passphrase_env}",
            )
        officer_key = load_pkcs12(Path(config.officer_pkcs12_path), passphrase.encode(), seal.crls)
    officer = PadesSigner(officer_key, config, seal.trust_roots, seal.timestamper, seal.crls, role="officer")
    return SignerChain((officer, seal))


def build_seal_signer(config: SigningConfig, data_dir: Path) -> PadesSigner:
    """The office's second-seal signer, from configuration (test PKI on first run in test-pki mode)."""
    roots = tuple(Path(p) for p in config.trust_roots)
    crl_files = [Path(p) for p in config.crl_paths]
    timestamper = http_timestamper(config.tsa_url, config.tsa_timeout_s) if config.tsa_url else None
    if config.mode == "test-pki":
        pki = ensure_test_pki(data_dir / "test-pki", config.agency)
        crls = load_crl_files([*pki.crls, *crl_files])
        signer = load_pkcs12(pki.seal_p12, pki.passphrase, crls)
        timestamper = timestamper or local_pki_timestamper(pki)
        return PadesSigner(signer, config, (pki.root_pem, *roots), timestamper, crls)
    if config.mode == "pkcs11":
        crls = load_crl_files(crl_files)
        return PadesSigner(load_pkcs11(config, crls), config, roots, timestamper, crls)
    if config.mode == "pkcs12":
        passphrase = os.environ.get(config.pkcs12_passphrase_env)
        if passphrase is None:
            raise ConfigError(
                f"environment variable {config.pkcs12_passphrase_env} (PKCS#12 passphrase) is not set",
                fix="export it before starting, or point signing.pkcs12_passphrase_env at the right variable",
            )
        crls = load_crl_files(crl_files)
        signer = load_pkcs12(Path(config.pkcs12_path), passphrase.encode(), crls)
        return PadesSigner(signer, config, roots, timestamper, crls)
    raise ConfigError(f"unknown signing.mode {config.mode!r}", fix='use "test-pki", "pkcs12" or "pkcs11"')


def load_pkcs11(config: SigningConfig, crls: tuple[bytes, ...] = ()) -> signers.Signer:
    """A signer on a PKCS#11 token: one session for the life of the process, certificate checked first."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    pin = os.environ.get(config.pkcs11_pin_env)
    if pin is None:
        raise ConfigError(
            f"environment variable {config.pkcs11_pin_env} (token PIN) is not set",
            fix="export it before starting, or point signing.pkcs11_pin_env at the right variable",
        )
    if not Path(config.pkcs11_module).exists():
        raise ConfigError(
            f"PKCS#11 module {config.pkcs11_module} does not exist", fix="install the token's driver"
        )
    criteria = TokenCriteria(label=config.pkcs11_token_label or None)
    try:
        session = open_pkcs11_session(config.pkcs11_module, token_criteria=criteria, user_pin=pin)
        chain = [load_cert_from_pemder(p) for p in config.chain_paths]  # type: ignore[no-untyped-call]
        signer = PKCS11Signer(
            session,
            key_label=config.pkcs11_key_label,
            cert_label=config.pkcs11_cert_label or config.pkcs11_key_label,
            other_certs_to_pull=None,
            ca_chain=chain,
        )
        certificate = signer_certificate(signer)
    except Exception as exc:  # python-pkcs11 errors: no token, wrong PIN, missing key/certificate
        raise SigningError(
            f"cannot use the PKCS#11 token ({exc.__class__.__name__}: {exc})",
            fix="check the token label, key label, certificate label and PIN",
        ) from None
    check_signing_certificate(certificate, crls=crls)
    return signer
