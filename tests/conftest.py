"""Shared fixtures. Everything here is real: Tesseract, the test PKI, files on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from digitize.config import Config, StorageConfig

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_scans"


def truth(name: str) -> dict[str, Any]:
    stem = name.rsplit(".", 1)[0]
    return json.loads((SAMPLES / f"{stem}.truth.json").read_text(encoding="utf-8"))


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in {".png", ".jpg", ".tif", ".pdf"})


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return replace(Config(), storage=StorageConfig(data_dir=str(tmp_path / "data")))


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from signing.testpki import create_test_pki

    return create_test_pki(tmp_path_factory.mktemp("pki"), "Bộ phận Một cửa thử nghiệm")


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`digitize run sample_scans/ <bad files> --out` once, as a user runs it (a real subprocess)."""
    work = tmp_path_factory.mktemp("run")
    bad = work / "bad"
    bad.mkdir()
    (bad / "zero.png").write_bytes(b"")
    (bad / "notes.png").write_text("this is a text file, not a scan\n")
    (bad / "cut.jpg").write_bytes((SAMPLES / "birth_extract_rotated180.jpg").read_bytes()[:30000])
    import io

    import pikepdf

    encrypted = io.BytesIO()
    with pikepdf.open(SAMPLES / "admin_letter_2pages.pdf") as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o", user="secret"))
    (bad / "locked.pdf").write_bytes(encrypted.getvalue())
    env_data = work / "data"
    proc = subprocess.run(
        [sys.executable, "-m", "cli.main", "run", str(SAMPLES), str(bad), "--out", str(work / "out")],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=900,
        env={"PATH": "/usr/bin:/bin", "SOHOA_STORAGE_DATA_DIR": str(env_data), "OMP_THREAD_LIMIT": "1"},
    )
    return {"proc": proc, "out": work / "out", "data": env_data}


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.servers import redis_server

    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL cluster in a folder of its own under /tmp, not under pytest's temp root: another
    pytest session starting meanwhile sets that root to mode 700, and the postgres user (the cluster runs
    as postgres, never as root) could then no longer reach its data to stop."""
    import tempfile

    from tests.servers import postgres_server

    with (
        tempfile.TemporaryDirectory(prefix="sohoa-pg-") as folder,
        postgres_server(Path(folder) / "pg") as url,
    ):
        yield url


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.servers import s3_server

    with s3_server(tmp_path_factory.mktemp("s3")) as endpoint:
        yield endpoint


@pytest.fixture
def pg_database(postgres_url: str) -> str:
    """A fresh, empty database in the session's PostgreSQL cluster (one per test)."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + "/" + name
