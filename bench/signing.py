"""Signing benchmark: signatures per second on one core, per PAdES level and key source, and verification.

    .venv/bin/python bench/signing.py [--count 50]

The document is a two-page PDF/A-2b built by the pipeline. Side by side in the same run, the anchor is
pyHanko used the plain way (SimpleSigner re-reading the key per signature, the full Noto Serif for the
stamp, a dry-run signature to size the container). Everything runs in this one process (one core).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyhanko.sign import signers  # noqa: E402

from digitize.config import Config, SigningConfig  # noqa: E402
from digitize.engines.placeholder import PlaceholderEngine  # noqa: E402
from digitize.model import SourceDocument  # noqa: E402
from digitize.pipeline import digitize_document  # noqa: E402
from signing.certificates import load_crl_files  # noqa: E402
from signing.sign import PadesSigner  # noqa: E402
from signing.signers import load_pkcs11, load_pkcs12  # noqa: E402
from signing.testpki import TestPki, certify_public_key, create_test_pki  # noqa: E402
from signing.timestamps import LoopbackTsaServer, http_timestamper, local_pki_timestamper  # noqa: E402
from signing.verify import verify_pdf  # noqa: E402

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


def per_second(action: Callable[[], object], count: int) -> float:
    action()  # warm-up: fonts cut, sessions open
    started = time.perf_counter()
    for _ in range(count):
        action()
    return count / (time.perf_counter() - started)


def document() -> bytes:
    source = SourceDocument("letter.pdf", (ROOT / "sample_scans" / "admin_letter_2pages.pdf").read_bytes())
    return digitize_document(source, Config(), PlaceholderEngine(), None).pdf


def signer_for(
    pki: TestPki, level: str, timestamper: object = None, key: signers.Signer | None = None
) -> PadesSigner:
    crls = load_crl_files(pki.crls)
    key = key or load_pkcs12(pki.seal_p12, pki.passphrase, crls)
    return PadesSigner(key, SigningConfig(level=level), (pki.root_pem,), timestamper, crls)  # type: ignore[arg-type]


def anchor(pki: TestPki, pdf: bytes, count: int) -> float:
    """pyHanko the plain way: stock SimpleSigner, full font, container size measured by a dry run."""
    import io

    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields
    from pyhanko.stamp import TextStampStyle

    key = signers.SimpleSigner.load_pkcs12(str(pki.seal_p12), passphrase=pki.passphrase)
    style = TextStampStyle(
        stamp_text="Bản sao điện tử\n%(ts)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(SigningConfig().font_path), font_size=10),
    )

    def sign() -> None:
        meta = signers.PdfSignatureMetadata(field_name="Sig", subfilter=fields.SigSeedSubFilter.PADES)
        spec = fields.SigFieldSpec("Sig", on_page=0, box=(300, 780, 550, 820))
        signers.PdfSigner(meta, key, stamp_style=style, new_field_spec=spec).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf))
        )

    return per_second(sign, count)


def softhsm_signer(pki: TestPki, folder: Path) -> signers.Signer | None:
    if not (Path(SOFTHSM).exists() and shutil.which("pkcs11-tool")):
        return None
    (folder / "tokens").mkdir(parents=True)
    (folder / "softhsm2.conf").write_text(f"directories.tokendir = {folder / 'tokens'}\n")
    os.environ["SOFTHSM2_CONF"] = str(folder / "softhsm2.conf")
    run = lambda *a: subprocess.run(a, check=True, capture_output=True).stdout  # noqa: E731
    run("softhsm2-util", "--init-token", "--free", "--label", "bench", "--pin", "1234", "--so-pin", "5678")
    tool = ["pkcs11-tool", "--module", SOFTHSM, "--token-label", "bench", "--login", "--pin", "1234"]
    run(*tool, "--keypairgen", "--key-type", "rsa:2048", "--label", "seal", "--id", "01")
    public = run(*tool, "--read-object", "--type", "pubkey", "--label", "seal")
    (folder / "seal.der").write_bytes(certify_public_key(pki, public, "Bench HSM seal (TEST)", "So hoa TEST"))
    run(*tool, "--write-object", str(folder / "seal.der"), "--type", "cert", "--label", "seal", "--id", "01")
    os.environ["SOHOA_PKCS11_PIN"] = "1234"
    config = replace(
        SigningConfig(mode="pkcs11", pkcs11_token_label="bench"), chain_paths=(str(pki.intermediate_pem),)
    )
    return load_pkcs11(config)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pki = create_test_pki(folder / "pki", "Bộ phận Một cửa thử nghiệm")
        pdf = document()
        rows: list[tuple[str, float]] = []
        sign_only = lambda s: lambda: s._sign(pdf, s_now(), s.config.level)  # noqa: E731
        rows.append(("anchor: pyHanko plain SimpleSigner, B-B", anchor(pki, pdf, args.count)))
        bb = signer_for(pki, "B-B")
        rows.append(("B-B, PKCS#12 key loaded once", per_second(sign_only(bb), args.count)))
        hsm = softhsm_signer(pki, folder / "hsm")
        if hsm is not None:
            rows.append(
                (
                    "B-B, PKCS#11 (SoftHSM2)",
                    per_second(sign_only(signer_for(pki, "B-B", key=hsm)), args.count),
                )
            )
        local = local_pki_timestamper(pki)
        rows.append(("B-T, TSA in process", per_second(sign_only(signer_for(pki, "B-T", local)), args.count)))
        with LoopbackTsaServer(pki) as tsa:
            remote = http_timestamper(tsa.url, 5)
            rows.append(
                (
                    "B-T, TSA over HTTP (loopback)",
                    per_second(sign_only(signer_for(pki, "B-T", remote)), args.count),
                )
            )
        rows.append(
            (
                "B-LT, chain + CRLs embedded",
                per_second(sign_only(signer_for(pki, "B-LT", local)), args.count // 2),
            )
        )
        rows.append(
            (
                "B-LTA, + document timestamp",
                per_second(sign_only(signer_for(pki, "B-LTA", local)), args.count // 2),
            )
        )
        signed, _ = signer_for(pki, "B-T", local).sign(pdf)
        rows.append(
            (
                "verify a B-T file (report as data)",
                per_second(lambda: verify_pdf(signed, [pki.root_pem]), args.count),
            )
        )
        print(
            f"document: {len(pdf) // 1024} KiB PDF/A-2b, 2 pages; one process, one core; {args.count} runs\n"
        )
        print(f"{'':44}{'per second':>12}{'ms each':>10}")
        for name, rate in rows:
            print(f"{name:44}{rate:>12.1f}{1000 / rate:>10.1f}")
        print("\ntarget: ≥ 30 B-B signatures/s per core with a cached key")


def s_now() -> object:
    from signing.sign import vietnam_now

    return vietnam_now()


if __name__ == "__main__":
    main()
