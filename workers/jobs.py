"""Jobs: thin wrappers that load by key, call `run_document`, and save. The same code runs in-process for
the embedded default and inside RQ workers.

`Services` is built once per process (keys loaded once, database migrated once) and passed to every job.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from digitize.config import Config
from digitize.engines import build_engine
from digitize.engines.tesseract import OcrEngine
from digitize.executor import Executor, make_executor
from digitize.model import DocumentResult, SourceDocument
from digitize.pipeline import run_document
from digitize.results import result_json
from signing.sign import DocumentSigner
from signing.signers import build_signer
from storage.objects import ObjectStore, build_store, document_prefix
from storage.repository import database_errors_as_transient, open_repository
from storage.repository.store import ObjectKeys, SavedDocument, save_result


@dataclass
class Services:
    config: Config
    store: ObjectStore
    repository: Engine
    engine: OcrEngine
    signer: DocumentSigner
    executor: Executor

    def close(self) -> None:
        self.executor.close()
        self.repository.dispose()


@dataclass
class Storage:
    """What submitting, status and retry need: the object store and the repository (no keys, no OCR)."""

    config: Config
    store: ObjectStore
    repository: Engine

    def close(self) -> None:
        self.repository.dispose()


def open_storage(config: Config) -> Storage:
    data_dir = Path(config.storage.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    url = config.storage.database_url or f"sqlite:///{(data_dir / 'repository.sqlite3').resolve()}"
    return Storage(config, build_store(config.storage), open_repository(url))


def build_services(config: Config, storage: Storage | None = None) -> Services:
    storage = storage or open_storage(config)
    return Services(
        config=config,
        store=storage.store,
        repository=storage.repository,
        engine=build_engine(config.ocr),
        signer=build_signer(config.signing, Path(config.storage.data_dir)),
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


def process_document(services: Services, original_key: str, source_name: str, batch: str) -> JobOutcome:
    """The job: original from the store → run_document → signed copy, JSON and repository rows."""
    data = services.store.get(original_key)
    result = run_document(
        SourceDocument(source_name, data),
        services.config,
        services.engine,
        services.signer,
        services.executor,
    )
    prefix = original_key.rsplit("/", 1)[0]
    meta = {k: v for k, v in result.metadata.items() if v}
    signed = services.store.put(f"{prefix}/signed.pdf", result.pdf, {"role": "signed-copy", **meta})
    payload = json.dumps(result_json(result), ensure_ascii=False, indent=1).encode()
    stored_json = services.store.put(f"{prefix}/result.json", payload, {"role": "result"})
    keys = ObjectKeys(original_key, signed.key, stored_json.key)
    with database_errors_as_transient(f"save {source_name}"):
        saved = save_result(services.repository, result, keys, services.config.storage.agency_code, batch)
    return JobOutcome(result, saved, keys)
