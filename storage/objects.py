"""Object storage behind one interface: the local folder of the embedded default, or S3 (MinIO).

Keys follow `<agency>/<batch>/<sha256 of the original>/<name>`: content-addressed, so the same original
processed twice lands on the same keys (idempotent). Every object's sha256 is stored with it and checked
on read; metadata (the digitization metadata, content type) travels with the object.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from digitize.config import StorageConfig
from digitize.errors import ConfigError, StorageError
from digitize.ports import ObjectStore, StoredObject

_SAFE = re.compile(r"[^A-Za-z0-9._\-]+")


def safe_segment(text: str) -> str:
    cleaned = _SAFE.sub("-", text).strip("-.")
    return cleaned or "default"


def document_prefix(agency: str, batch: str, sha256: str) -> str:
    return f"{safe_segment(agency)}/{safe_segment(batch)}/{sha256}"


class FolderStore:
    """Objects as files under a root folder, each with a `.meta.json` sidecar; writes are atomic."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise StorageError(f"object key {key!r} leaves the store", fix="use keys without '..'")
        return path

    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> StoredObject:
        path = self._path(key)
        digest = hashlib.sha256(data).hexdigest()
        info = StoredObject(key, digest, len(data), dict(metadata or {}))
        existing = self.head(key)
        if existing is not None and existing.sha256 == digest:
            return existing
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, data)
        _atomic_write(_meta_path(path), json.dumps(info.__dict__, ensure_ascii=False).encode())
        return info

    def get(self, key: str) -> bytes:
        path = self._path(key)
        info = self.head(key)
        if info is None or not path.exists():
            raise StorageError(
                f"object {key} does not exist", fix="check the key or process the document again"
            )
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise StorageError(f"object {key} is corrupt (sha256 mismatch)", fix="restore it from a replica")
        return data

    def head(self, key: str) -> StoredObject | None:
        meta = _meta_path(self._path(key))
        if not meta.exists():
            return None
        return StoredObject(**json.loads(meta.read_text(encoding="utf-8")))

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        _meta_path(path).unlink(missing_ok=True)


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_store(config: StorageConfig) -> ObjectStore:
    """The object store the configuration names: the local folder (default) or S3."""
    if config.backend == "folder":
        return FolderStore(Path(config.data_dir) / "objects")
    if config.backend == "s3":
        from storage.s3 import open_s3_store

        return open_s3_store(config)
    raise ConfigError(f"unknown storage.backend {config.backend!r}", fix='use "folder" or "s3"')
