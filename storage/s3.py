"""`S3Store`: the `ObjectStore` interface on MinIO or any S3-compatible server, through the minio SDK.

- The bucket is created on first use with versioning on (and object lock when retention is configured),
  so an overwritten or deleted object can be recovered.
- Every object carries its sha256 in user metadata; `get` checks it, so silent corruption is an error.
- The digitization metadata travels as user metadata. S3 headers are ASCII only, so values are
  percent-encoded (UTF-8) on the way in and decoded on the way out.
- Originals (metadata role = "original") get object-lock retention when `retention_days` > 0: they
  cannot be deleted or overwritten before the date.
- Network failures are `TransientStorageError` (the job is retried); missing or corrupt objects are not.
"""

from __future__ import annotations

import base64
import hashlib
import io
import mimetypes
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, ENABLED, GOVERNANCE
from minio.error import S3Error
from minio.retention import Retention
from minio.versioningconfig import VersioningConfig

from digitize.config import StorageConfig
from digitize.errors import ConfigError, MissingObjectError, StorageError, TransientStorageError
from digitize.ports import StoredObject

T = TypeVar("T")
_SHA_KEY = "sha256"
_NOT_FOUND = {"NoSuchKey", "NoSuchObject", "NoSuchVersion"}


def _encode(metadata: dict[str, str]) -> dict[str, str]:
    return {f"x-amz-meta-{k.lower()}": quote(v, safe="") for k, v in metadata.items()}


def _decode(headers: dict[str, str]) -> dict[str, str]:
    prefix = "x-amz-meta-"
    return {k.lower()[len(prefix) :]: unquote(v) for k, v in headers.items() if k.lower().startswith(prefix)}


class S3Store:
    def __init__(
        self, client: Minio, bucket: str, retention_days: int = 0, retention_mode: str = "GOVERNANCE"
    ):
        self.client = client
        self.bucket = bucket
        self.retention_days = retention_days
        self.retention_mode = COMPLIANCE if retention_mode.upper() == "COMPLIANCE" else GOVERNANCE
        self._call(self._ensure_bucket, "prepare the bucket")

    def _ensure_bucket(self) -> None:
        if not self.client.bucket_exists(self.bucket):
            self.client.make_bucket(self.bucket, object_lock=self.retention_days > 0)
        self.client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED))

    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> StoredObject:
        digest = hashlib.sha256(data).hexdigest()
        meta = {**(metadata or {}), _SHA_KEY: digest}
        existing = self.head(key)
        if existing is not None and existing.sha256 == digest:
            return existing  # idempotent: no new version for the same bytes
        headers = _encode(meta)
        retention = None
        if self.retention_days > 0 and meta.get("role") == "original":
            until = datetime.now(UTC) + timedelta(days=self.retention_days)
            retention = Retention(self.retention_mode, until)
            # Object-lock uploads need an integrity header; over plain HTTP the SDK sends no Content-MD5.
            headers["x-amz-checksum-sha256"] = base64.b64encode(bytes.fromhex(digest)).decode()
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        self._call(
            lambda: self.client.put_object(
                self.bucket,
                key,
                io.BytesIO(data),
                len(data),
                content_type=content_type,
                metadata=headers,  # type: ignore[arg-type]
                retention=retention,
            ),
            f"store {key}",
        )
        return StoredObject(key, digest, len(data), {k.lower(): v for k, v in meta.items() if k != _SHA_KEY})

    def get(self, key: str) -> bytes:
        info = self.head(key)
        if info is None:
            raise StorageError(
                f"object {key} does not exist", fix="check the key or submit the document again"
            )
        data = self._call(lambda: self._read(key), f"read {key}")
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise StorageError(
                f"object {key} is corrupt (sha256 mismatch)", fix="restore an earlier version from the bucket"
            )
        return data

    def _read(self, key: str) -> bytes:
        response = self.client.get_object(self.bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def head(self, key: str) -> StoredObject | None:
        try:
            stat = self._call(lambda: self.client.stat_object(self.bucket, key), f"look up {key}")
        except MissingObjectError:
            return None
        meta = _decode(dict(stat.metadata or {}))
        digest = meta.pop(_SHA_KEY, "")
        return StoredObject(key, digest, int(stat.size or 0), meta)

    def delete(self, key: str) -> None:
        """Delete the current version (a delete marker: earlier versions stay, retained ones are refused)."""
        self._call(lambda: self.client.remove_object(self.bucket, key), f"delete {key}")

    def _call(self, action: Callable[[], T], what: str) -> T:
        try:
            return action()
        except S3Error as exc:
            if exc.code in _NOT_FOUND:
                raise MissingObjectError(f"not found: {what}", fix="check the key") from None
            raise StorageError(
                f"the object store refused to {what} ({exc.code}: {exc.message})",
                fix="check the bucket, its permissions and retention",
            ) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise TransientStorageError(
                f"cannot reach the object store to {what} ({exc.__class__.__name__})",
                fix="check storage.s3_endpoint and that the server is running; the job is retried",
            ) from None


def open_s3_store(config: StorageConfig) -> S3Store:
    if not config.s3_endpoint:
        raise ConfigError("storage.backend is s3 but storage.s3_endpoint is empty", fix="set it to host:port")
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=5, read=60),
        retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
        maxsize=10,
    )
    client = Minio(
        config.s3_endpoint,
        access_key=config.s3_access_key or None,
        secret_key=config.s3_secret_key or None,
        secure=config.s3_secure,
        region=config.s3_region or None,
        http_client=http,
    )
    return S3Store(client, config.s3_bucket, config.retention_days, config.retention_mode)
