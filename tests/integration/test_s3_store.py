"""S3Store against a real S3 server (`weed mini`) on loopback."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from minio import Minio
from minio.error import S3Error

from digitize.config import StorageConfig
from digitize.errors import StorageError, TransientStorageError
from storage.s3 import S3Store, open_s3_store
from tests.servers import S3_ACCESS_KEY, S3_SECRET_KEY, free_port


def s3_config(endpoint: str, bucket: str | None = None, retention_days: int = 0) -> StorageConfig:
    return StorageConfig(
        backend="s3",
        s3_endpoint=endpoint,
        s3_secure=False,
        s3_bucket=bucket or f"t-{uuid.uuid4().hex[:12]}",
        s3_access_key=S3_ACCESS_KEY,
        s3_secret_key=S3_SECRET_KEY,
        retention_days=retention_days,
    )


def raw_client(endpoint: str) -> Minio:
    return Minio(endpoint, access_key=S3_ACCESS_KEY, secret_key=S3_SECRET_KEY, secure=False)


def versions(store: S3Store, key: str) -> list[str]:
    found = store.client.list_objects(store.bucket, prefix=key, include_version=True)
    return [str(o.version_id) for o in found if o.object_name == key and not o.is_delete_marker]


def test_round_trip_keeps_vietnamese_metadata_and_sha256(s3_endpoint: str) -> None:
    store = open_s3_store(s3_config(s3_endpoint))
    meta = {"role": "signed-copy", "OrganName": "Ủy ban nhân dân xã Tân Hòa, tỉnh Đồng Tháp"}
    stored = store.put("h00/b1/abc/signed.pdf", b"%PDF-1.7 test", meta)
    head = store.head("h00/b1/abc/signed.pdf")
    assert head is not None
    assert head.sha256 == stored.sha256 and head.size == 13
    assert head.metadata["organname"] == "Ủy ban nhân dân xã Tân Hòa, tỉnh Đồng Tháp"
    assert store.get("h00/b1/abc/signed.pdf") == b"%PDF-1.7 test"
    assert store.head("h00/b1/abc/missing.pdf") is None


def test_same_bytes_twice_make_one_version_and_new_bytes_keep_the_old(s3_endpoint: str) -> None:
    store = open_s3_store(s3_config(s3_endpoint))
    store.put("k/result.json", b"{}", {"role": "result"})
    store.put("k/result.json", b"{}", {"role": "result"})
    assert len(versions(store, "k/result.json")) == 1
    store.put("k/result.json", b'{"v": 2}', {"role": "result"})
    assert len(versions(store, "k/result.json")) == 2  # versioning keeps the overwritten one
    assert store.get("k/result.json") == b'{"v": 2}'


def test_corrupted_object_is_refused_on_read(s3_endpoint: str) -> None:
    config = s3_config(s3_endpoint)
    store = open_s3_store(config)
    stored = store.put("k/original.png", b"original bytes", {"role": "original-page"})
    # Someone rewrites the object behind our back, keeping the old checksum metadata.
    raw_client(s3_endpoint).put_object(
        config.s3_bucket,
        "k/original.png",
        io.BytesIO(b"tampered bytes"),
        14,
        metadata={"sha256": stored.sha256},
    )
    with pytest.raises(StorageError, match="corrupt"):
        store.get("k/original.png")


def test_retained_original_cannot_be_deleted(s3_endpoint: str) -> None:
    config = s3_config(s3_endpoint, retention_days=1)
    store = open_s3_store(config)
    store.put("k/original.tif", b"the legal original", {"role": "original"})
    store.put("k/signed.pdf", b"a derived copy", {"role": "signed-copy"})
    (version,) = versions(store, "k/original.tif")
    with pytest.raises(S3Error):
        raw_client(s3_endpoint).remove_object(config.s3_bucket, "k/original.tif", version_id=version)
    retention = store.client.get_object_retention(config.s3_bucket, "k/original.tif", version_id=version)
    assert retention is not None and retention.mode == "GOVERNANCE"
    (signed_version,) = versions(store, "k/signed.pdf")
    raw_client(s3_endpoint).remove_object(config.s3_bucket, "k/signed.pdf", version_id=signed_version)
    assert store.get("k/original.tif") == b"the legal original"


def test_unreachable_server_is_a_transient_error(tmp_path: Path) -> None:
    with pytest.raises(TransientStorageError, match="cannot reach the object store"):
        open_s3_store(s3_config(f"127.0.0.1:{free_port()}"))
