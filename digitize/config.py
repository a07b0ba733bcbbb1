"""Configuration: built once at the edge (TOML file + SOHOA_* environment) into frozen dataclasses.

Each subsystem gets its own dataclass; every field has a docstring-style comment. Unknown keys are an
error, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize.errors import ConfigError


@dataclass(frozen=True)
class LoadConfig:
    max_pixels: int = 120_000_000
    """Largest page (width × height) accepted; larger images are refused as decompression bombs."""
    max_pages: int = 2000
    """Most pages one input document may have."""
    pdf_render_dpi: int = 300
    """Resolution at which PDF pages are rasterized for OCR."""
    min_dpi: int = 200
    """Pages below this resolution are flagged (national guidance: ≥ 200 dpi ordinary, ≥ 300 dpi)."""


@dataclass(frozen=True)
class OcrConfig:
    language: str = "vie"
    """Tesseract language model(s), e.g. "vie" or "vie+eng"."""
    timeout_s: float = 120.0
    """Seconds Tesseract may spend on one page before the page fails."""
    jobs: int = 1
    """Worker processes for the pages of one document (1 = serial)."""
    figures_language: str = "eng"
    """Second model every word written in figures is read again with ("" for none): where it and the
    page's model agree the word keeps the surer confidence, where they differ it goes to review."""
    engine: str = "tesseract"
    """"tesseract" (in-process, model loaded once per worker), "tesseract-cli" (one `tesseract` process per
    call, through pytesseract), or "none": reads no text at all (only for measuring queue and storage
    overhead)."""


@dataclass(frozen=True)
class ExtractConfig:
    accept_threshold: float = 0.80
    """Values with a confidence below this are stored as needs_review, never accepted silently."""
    unknown_type_is_error: bool = False
    """When true an unclassifiable document fails; when false it is archived and flagged."""


@dataclass(frozen=True)
class SigningConfig:
    mode: str = "test-pki"
    """"test-pki" (local test PKI made on first run, NOT FOR PRODUCTION), "pkcs12" or "pkcs11" (token/HSM)."""
    pkcs12_path: str = ""
    """Path of the second-seal PKCS#12 file when mode = "pkcs12"."""
    pkcs12_passphrase_env: str = "SOHOA_PKCS12_PASSPHRASE"
    """Name of the environment variable holding the PKCS#12 passphrase."""
    pkcs11_module: str = "/usr/lib/softhsm/libsofthsm2.so"
    """PKCS#11 module of the token or HSM when mode = "pkcs11"."""
    pkcs11_token_label: str = ""
    """Label of the token holding the seal key (empty = the first token)."""
    pkcs11_key_label: str = "seal"
    """Label of the private key (and, unless pkcs11_cert_label is set, of its certificate) on the token."""
    pkcs11_cert_label: str = ""
    """Label of the certificate on the token; empty = pkcs11_key_label."""
    pkcs11_pin_env: str = "SOHOA_PKCS11_PIN"
    """Name of the environment variable holding the token's user PIN."""
    officer_signature: bool = False
    """Also sign with the digitizing officer's personal certificate, before the seal (own revision each)."""
    officer_pkcs12_path: str = ""
    """The officer's PKCS#12 file (pkcs12 mode; test-pki mode uses the test officer)."""
    officer_passphrase_env: str = "SOHOA_OFFICER_PASSPHRASE"
    """Name of the environment variable holding the officer's PKCS#12 passphrase."""
    seal_image: str = ""
    """Transparent PNG of the seal drawn under the visible mark of the seal signature (optional)."""
    chain_paths: tuple[str, ...] = ()
    """PEM intermediate CA certificates to embed with the signature (tokens rarely hold them)."""
    trust_roots: tuple[str, ...] = ()
    """PEM files of the roots signatures are validated against (the test root is added in test-pki mode)."""
    agency: str = "Bộ phận Một cửa UBND xã Mẫu (thử nghiệm)"
    """Agency named in the visible mark of every signed copy."""
    copy_type: str = "Bản sao điện tử"
    """Copy type named in the visible mark."""
    font_path: str = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
    """TrueType font for the visible mark (1000 units/em, Vietnamese glyphs; Times-like serif)."""
    level: str = "B-T"
    """PAdES level: B-B, B-T (+ RFC 3161 timestamp), B-LT (+ chain and CRLs), B-LTA (+ document timestamp)."""
    tsa_url: str = ""
    """RFC 3161 timestamp authority for B-T and up; empty in test-pki mode = the test PKI's own TSA (TEST)."""
    tsa_timeout_s: float = 10.0
    """Seconds to wait for the timestamp authority."""
    tsa_required: bool = False
    """When the TSA does not answer: true = refuse to sign; false = sign B-B and record a warning."""
    crl_paths: tuple[str, ...] = ()
    """CRL files (DER or PEM): a revoked signing certificate is refused; B-LT and B-LTA embed them."""
    ocsp: str = "soft"
    """OCSP with the responder the certificate names: off; soft = refuse a revoked certificate, sign when
    the responder cannot be reached; hard = also refuse when its status cannot be confirmed."""
    ocsp_timeout_s: float = 5.0
    """Seconds to wait for the OCSP responder."""
    ocsp_max_age_s: float = 3600.0
    """A signer asks the responder again when its last answer is older than this (long-running workers)."""


@dataclass(frozen=True)
class StorageConfig:
    data_dir: str = "sohoa-data"
    """Folder for the embedded default: objects/, the SQLite repository and the test PKI."""
    database_url: str = ""
    """SQLAlchemy URL of the repository; empty = SQLite file inside data_dir."""
    agency_code: str = "000.00.00.H00"
    """Code of the agency that owns the objects (first segment of every object key)."""
    backend: str = "folder"
    """"folder" (objects/ inside data_dir) or "s3" (MinIO or any S3-compatible store, minio SDK)."""
    s3_endpoint: str = ""
    """host:port of the S3 server when backend = "s3"."""
    s3_secure: bool = True
    """Use HTTPS to reach the S3 server."""
    s3_bucket: str = "sohoa"
    """Bucket of every object; created on first use with versioning (and object lock if retention > 0)."""
    s3_region: str = ""
    """Region of the bucket; empty = the server's default."""
    s3_access_key: str = field(default="", repr=False)
    """Access key (set it from SOHOA_STORAGE_S3_ACCESS_KEY, not in a file)."""
    s3_secret_key: str = field(default="", repr=False)
    """Secret key (set it from SOHOA_STORAGE_S3_SECRET_KEY, not in a file)."""
    retention_days: int = 0
    """Object-lock (WORM) retention of originals in days; 0 = none (needs a bucket made with object lock)."""
    retention_mode: str = "GOVERNANCE"
    """"GOVERNANCE" (admins may lift it) or "COMPLIANCE" (nobody may delete before the date)."""


@dataclass(frozen=True)
class QueueConfig:
    redis_url: str = ""
    """Redis of the RQ queues, e.g. redis://host:6379/0; empty = jobs run in this process."""
    queue: str = "sohoa"
    """Name of the RQ queue pages are put on."""
    job_timeout_s: int = 900
    """Seconds one page job may run before RQ stops it."""
    lease_s: float = 30.0
    """A running job renews its lease every third of this; a job whose lease ran out is re-queued."""
    max_attempts: int = 4
    """Attempts per page for transient failures (storage, database, TSA) before it is marked failed."""
    retry_backoff_s: float = 10.0
    """Delay before the first retry of a transient failure; doubles at each further attempt."""


@dataclass(frozen=True)
class ApiConfig:
    max_upload_bytes: int = 50_000_000
    """Largest request body `POST /dossiers` accepts (all files together); larger → 413."""
    max_documents: int = 20
    """Most documents (files + object references) in one dossier."""
    max_pages: int = 200
    """Most pages in one dossier, all documents together."""
    rate_per_minute: int = 120
    """Requests per minute one API key may make (token bucket per key and process); a key may set its own."""
    reference_prefix: str = "intake/"
    """Documents may be referenced by object key only under this prefix of the store (the portal's drop)."""
    allow_http_callbacks: bool = False
    """Allow plain-http callback URLs (for loopback tests and closed networks); otherwise https only."""
    callback_hosts: tuple[str, ...] = ()
    """If set, the only host names callback URLs may name (the intake systems' receivers)."""
    allow_private_callbacks: bool = False
    """Allow callbacks to loopback, private, link-local and reserved addresses (loopback tests only):
    otherwise a callback host resolving to any such address is refused, at registration and delivery."""
    webhook_timeout_s: float = 10.0
    """Seconds to wait for a callback receiver to answer one delivery."""
    webhook_max_attempts: int = 8
    """Attempts per webhook delivery before it is marked failed (every attempt is recorded)."""
    webhook_backoff_s: float = 5.0
    """Delay before the second attempt of a delivery; doubles at each further attempt."""
    webhook_poll_s: float = 2.0
    """How often the dispatcher (in `digitize serve` and every worker) looks for due deliveries."""
    session_idle_minutes: int = 30
    """A review-station session ends after this long without a request."""
    session_max_hours: int = 10
    """A review-station session ends this long after sign-in however active (one working day)."""
    secure_cookies: bool = True
    """Mark the session cookie Secure (HTTPS only); turn off only for loopback tests."""


@dataclass(frozen=True)
class Config:
    load: LoadConfig = field(default_factory=LoadConfig)
    ocr: OcrConfig = field(default_factory=OcrConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    signing: SigningConfig = field(default_factory=SigningConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    queue: QueueConfig = field(default_factory=QueueConfig)
    api: ApiConfig = field(default_factory=ApiConfig)


_SECTIONS: dict[str, type[Any]] = {
    "load": LoadConfig,
    "ocr": OcrConfig,
    "extract": ExtractConfig,
    "signing": SigningConfig,
    "storage": StorageConfig,
    "queue": QueueConfig,
    "api": ApiConfig,
}


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Build the configuration from an optional TOML file, then SOHOA_<SECTION>_<KEY> variables."""
    raw: dict[str, dict[str, Any]] = {}
    if path is not None:
        raw = _read_toml(path)
    env = os.environ if environ is None else environ
    for section, cls in _SECTIONS.items():
        for f in dataclasses.fields(cls):
            value = env.get(f"SOHOA_{section.upper()}_{f.name.upper()}")
            if value is not None:
                raw.setdefault(section, {})[f.name] = value
    return Config(**{name: _build_section(name, cls, raw.get(name, {})) for name, cls in _SECTIONS.items()})


def _read_toml(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} does not exist", fix="pass an existing --config file"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}", fix="fix the syntax") from None
    unknown = set(data) - set(_SECTIONS)
    if unknown:
        raise ConfigError(
            f"unknown config section(s) {sorted(unknown)} in {path}",
            fix=f"use only {sorted(_SECTIONS)}",
        )
    return {k: dict(v) for k, v in data.items()}


def _build_section(name: str, cls: type[Any], values: dict[str, Any]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(values) - set(fields)
    if unknown:
        raise ConfigError(
            f"unknown key(s) {sorted(unknown)} in [{name}]", fix=f"valid keys: {sorted(fields)}"
        )
    converted = {key: _convert(name, key, fields[key].type, value) for key, value in values.items()}
    return cls(**converted)


def _convert(section: str, key: str, type_name: Any, value: Any) -> Any:
    kind = str(type_name)
    try:
        if kind == "bool":
            return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes", "on"}
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind.startswith("tuple"):
            return tuple(value) if isinstance(value, list) else tuple(v for v in str(value).split(",") if v)
    except (TypeError, ValueError):
        raise ConfigError(
            f"[{section}] {key} = {value!r} is not a valid {kind}", fix="correct the value"
        ) from None
    return str(value)
