"""Jobs: thin wrappers that load by key, call `digitize_document`, and save. The same code runs in-process for
the embedded default and inside RQ workers.

`Services` is built once per process (keys loaded once, database migrated once) and passed to every job.
`digitize run` builds the signer and the repository on a background thread (`deferred=True`) while its first
page is read: importing and loading them costs more than a second that the first page need not wait for.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from digitize.config import Config
from digitize.engines import build_engine
from digitize.executor import Executor, make_executor
from digitize.model import DocumentResult, SignatureSummary, SourceDocument
from digitize.pipeline import digitize_document
from digitize.ports import DocumentSigner, ObjectStore, OcrEngine
from digitize.results import result_from_json, result_json
from storage.objects import build_store, document_prefix

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from storage.repository.store import ObjectKeys, SavedDocument

T = TypeVar("T")


class Deferred(Generic[T]):
    """A value built on a background thread; `get` waits for it and raises what building raised."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._build, args=(build,), name="services-build", daemon=True)
        self._thread.start()

    def _build(self, build: Callable[[], T]) -> None:
        try:
            self._value = build()
        except BaseException as exc:  # handed to whoever needs the value
            self._error = exc

    def error(self) -> BaseException | None:
        self._thread.join()
        return self._error

    def get(self) -> T:
        if (error := self.error()) is not None:
            raise copy.copy(error)  # a copy: callers attach their file name to what they raise
        assert self._value is not None
        return self._value


class DeferredSigner:
    """A signer whose keys load on a background thread; signing waits for them."""

    def __init__(self, build: Callable[[], DocumentSigner]) -> None:
        self.pending = Deferred(build)

    def sign(self, pdf: bytes) -> tuple[bytes, SignatureSummary]:
        return self.pending.get().sign(pdf)


@dataclass
class Storage:
    """What submitting, status and retry need: the object store and the repository (no keys, no OCR)."""

    config: Config
    store: ObjectStore
    _db: Deferred[Engine] | Engine

    @property
    def db(self) -> Engine:
        return self._db.get() if isinstance(self._db, Deferred) else self._db

    def startup_error(self) -> BaseException | None:
        """What stopped the repository from opening, if it was opened on a background thread."""
        return self._db.error() if isinstance(self._db, Deferred) else None

    def close(self) -> None:
        if self.startup_error() is None:
            self.db.dispose()


@dataclass
class Services(Storage):
    ocr: OcrEngine = field(kw_only=True)
    signer: DocumentSigner = field(kw_only=True)
    executor: Executor = field(kw_only=True)

    def startup_error(self) -> BaseException | None:
        """What stopped the repository or the signer from being built, if they were deferred."""
        signer = self.signer.pending.error() if isinstance(self.signer, DeferredSigner) else None
        return super().startup_error() or signer

    def close(self) -> None:
        self.executor.close()
        super().close()


def open_storage(config: Config, deferred: bool = False) -> Storage:
    data_dir = Path(config.storage.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    url = config.storage.database_url or f"sqlite:///{(data_dir / 'repository.sqlite3').resolve()}"

    def open_db() -> Engine:
        from storage.repository import open_repository

        return open_repository(url)

    return Storage(config, build_store(config.storage), Deferred(open_db) if deferred else open_db())


def build_services(config: Config, storage: Storage | None = None, deferred: bool = False) -> Services:
    """Everything a job needs, once per process; `deferred` builds the repository and the signer on a
    background thread (errors surface through `startup_error` and on first use)."""
    storage = storage or open_storage(config, deferred)

    def signer() -> DocumentSigner:
        from signing.signers import build_signer

        return build_signer(config.signing, Path(config.storage.data_dir))

    return Services(
        config,
        storage.store,
        storage._db,
        ocr=build_engine(config.ocr),
        signer=DeferredSigner(signer) if deferred else signer(),
        executor=make_executor(config.ocr.jobs),
    )


@dataclass(frozen=True)
class JobOutcome:
    result: DocumentResult
    saved: SavedDocument
    keys: ObjectKeys


def ingest(services: Services | Storage, source: SourceDocument, batch: str, role: str = "original") -> str:
    """Store the original as handed in; returns its key (the job's input)."""
    digest = hashlib.sha256(source.data).hexdigest()
    prefix = document_prefix(services.config.storage.agency_code, batch, digest)
    key = f"{prefix}/original{Path(source.name).suffix.lower() or '.bin'}"
    services.store.put(key, source.data, {"source-name": source.name, "role": role})
    return key


def digitize_stored(services: Services, original_key: str, source_name: str, batch: str) -> JobOutcome:
    """The job: original from the store → digitize_document → signed copy, JSON and repository rows."""
    data = services.store.get(original_key)
    result = digitize_document(
        SourceDocument(source_name, data),
        services.config,
        services.ocr,
        services.signer,
        services.executor,
    )
    prefix = original_key.rsplit("/", 1)[0]
    meta = {k: v for k, v in result.metadata.items() if v}
    # The signed copy first, then the JSON naming its digest: a stored JSON means a whole stored copy.
    signed = services.store.put(f"{prefix}/signed.pdf", result.pdf, {"role": "signed-copy", **meta})
    digest = hashlib.sha256(result.pdf).hexdigest()
    payload = json.dumps(result_json(result, digest), ensure_ascii=False, indent=1).encode()
    stored_json = services.store.put(f"{prefix}/result.json", payload, {"role": "result"})
    return _save(services, result, original_key, signed.key, stored_json.key, batch)


def record_stored(services: Services, original_key: str, sha256: str, batch: str) -> JobOutcome | None:
    """An earlier attempt stored the signed copy and the JSON but could not record them (the database
    was away, the worker was killed): record what is stored instead of doing the page again. None when
    nothing whole is stored (no JSON, another original, or a copy whose digest differs)."""
    prefix = original_key.rsplit("/", 1)[0]
    json_key, signed_key = f"{prefix}/result.json", f"{prefix}/signed.pdf"
    if services.store.head(json_key) is None or services.store.head(signed_key) is None:
        return None
    try:
        data = json.loads(services.store.get(json_key))
        expected = data.get("signed_sha256")
        if data.get("sha256") != sha256 or not expected:
            return None
        if hashlib.sha256(services.store.get(signed_key)).hexdigest() != expected:
            return None
        result = result_from_json(data)
    except (ValueError, KeyError, TypeError):  # a JSON of an older version or a damaged one: redo
        return None
    return _save(services, result, original_key, signed_key, json_key, batch)


def _save(
    services: Services, result: DocumentResult, original: str, signed: str, stored_json: str, batch: str
) -> JobOutcome:
    from storage.repository import database_errors_as_transient
    from storage.repository.store import ObjectKeys, save_result

    keys = ObjectKeys(original, signed, stored_json)
    with database_errors_as_transient(f"save {result.source}"):
        saved = save_result(services.db, result, keys, services.config.storage.agency_code, batch)
    return JobOutcome(result, saved, keys)
