"""`digitize run sample_scans/ <bad files> --out` as a user runs it, checked against the ground truth."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from signing.verify import verify_pdf
from tests.conftest import ROOT, sample_files, truth

# Fields that must come out right *and* accepted on every sample that has them (clean, printed values).
KEY_FIELDS = (
    "full_name",
    "date_of_birth",
    "sex",
    "mother_full_name",
    "father_full_name",
    "deceased_full_name",
    "husband_full_name",
    "wife_full_name",
    "registration_date",
)


def _json(run: dict[str, Any], sample: Path) -> dict[str, Any]:
    return json.loads((run["out"] / f"{sample.stem}.json").read_text(encoding="utf-8"))


def test_exit_status_and_per_file_errors(sample_run: dict[str, Any]) -> None:
    proc = sample_run["proc"]
    assert proc.returncode == 1, proc.stderr  # bad files failed, the rest done
    failures = [line for line in proc.stderr.splitlines() if line.startswith("FAILED ")]
    assert len(failures) == 4, proc.stderr
    for name, phrase in [
        ("zero.png", "empty"),
        ("notes.png", "not a PNG"),
        ("cut.jpg", "truncated"),
        ("locked.pdf", "encrypted"),
    ]:
        assert any(name in line and phrase in line and " — " in line for line in failures), (name, failures)
    assert f"{len(sample_files())} done, 4 failed" in proc.stdout


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_document_type_pages_and_outputs(sample_run: dict[str, Any], sample: Path) -> None:
    expected = truth(sample.name)
    got = _json(sample_run, sample)
    assert got["document_type"] == expected["document_type"]
    assert [p["rotation"] for p in got["pages"]] == [p["rotation"] for p in expected["pages"]]
    for page, want in zip(got["pages"], expected["pages"], strict=True):
        assert page["skew_deg"] == pytest.approx(want["skew_deg"], abs=0.3)
    assert got["signature"]["valid"] is True
    assert (sample_run["out"] / f"{sample.stem}.pdf").read_bytes().startswith(b"%PDF-")
    text = (sample_run["out"] / f"{sample.stem}.txt").read_text(encoding="utf-8")
    assert text.count("\f") == len(expected["pages"]) - 1


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_key_fields_match_ground_truth(sample_run: dict[str, Any], sample: Path) -> None:
    expected, got = truth(sample.name), _json(sample_run, sample)
    assert len(got["records"]) == len(expected["records"])
    for want, record in zip(expected["records"], got["records"], strict=True):
        for name in KEY_FIELDS:
            if name not in want:
                continue
            value = record[name]
            if value["status"] == "accepted":
                assert value["value"] == want[name]["value"], (name, value)
            assert value["page"] is not None and value["bbox"] is not None or value["value"] is None


def test_accepted_values_are_right(sample_run: dict[str, Any]) -> None:
    """Over every sample: accepted values are right (precision ≥ 99.5 %, the repository's target)."""
    accepted = wrong = 0
    for sample in sample_files():
        for want, record in zip(
            truth(sample.name)["records"], _json(sample_run, sample)["records"], strict=True
        ):
            for name, truth_value in want.items():
                value = record.get(name)
                if value and value["status"] == "accepted":
                    accepted += 1
                    wrong += value["value"] != truth_value["value"]
    assert accepted > 250
    assert wrong / accepted <= 0.005, (wrong, accepted)


def test_signed_copies_verify_against_the_test_root(sample_run: dict[str, Any]) -> None:
    root = sample_run["data"] / "test-pki" / "root.pem"
    for sample in sample_files():
        report = verify_pdf((sample_run["out"] / f"{sample.stem}.pdf").read_bytes(), [root])
        assert report.all_valid, (sample.name, report.summary())


def test_objects_and_repository_rows_exist(sample_run: dict[str, Any]) -> None:
    data = sample_run["data"]
    db = sqlite3.connect(data / "repository.sqlite3")
    docs = db.execute(
        "select sha256, original_key, signed_key, result_key, page_count from documents"
    ).fetchall()
    assert len(docs) == len(sample_files())
    for _sha, *keys, _pages in docs:
        for key in keys:
            assert (data / "objects" / key).is_file()
            assert (data / "objects" / f"{key}.meta.json").is_file()
    pages = db.execute("select count(*) from pages").fetchone()[0]
    assert pages == sum(len(truth(s.name)["pages"]) for s in sample_files())
    fields = db.execute(
        "select count(*) from field_values where page is not null and bbox is not null"
    ).fetchone()
    assert fields[0] > 250
    assert db.execute("select count(*) from persons where personal_id is not null").fetchone()[0] >= 15
    assert db.execute("select count(*) from audit_log where action = 'digitized'").fetchone()[0] == len(docs)


def test_digitize_verify_reports_b_t_and_refuses_a_tampered_copy(
    sample_run: dict[str, Any], tmp_path: Path
) -> None:
    """`digitize verify` as a citizen or agency runs it on an e-copy: B-T by default, tampering caught."""
    signed = sample_run["out"] / "birth_extract_clean.pdf"
    env = {"PATH": "/usr/bin:/bin", "SOHOA_STORAGE_DATA_DIR": str(sample_run["data"])}
    command = [sys.executable, "-m", "cli.main", "verify"]
    proc = subprocess.run(
        [*command, str(signed), "--json"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    (report,) = json.loads(proc.stdout)["signatures"]
    assert (report["verdict"], report["level"]) == ("TOTAL_PASSED", "B-T")
    assert report["timestamp"] and report["signing_time"].endswith("+07:00")
    assert report["ocsp"] == "none"  # the test PKI's certificates name no responder
    pdfa = json.loads(proc.stdout)["pdfa"]
    assert pdfa["flavour"] == "2b" and pdfa["claimed"] and pdfa["violations"] == [], pdfa
    data = bytearray(signed.read_bytes())
    data[len(data) // 2] ^= 0x01
    (tmp_path / "tampered.pdf").write_bytes(bytes(data))
    proc = subprocess.run([*command, str(tmp_path / "tampered.pdf")], capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "TOTAL_FAILED" in proc.stdout and "NOT VALID" in proc.stdout
