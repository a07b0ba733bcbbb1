"""The intake API over real HTTP on loopback (uvicorn), with real OCR and signing behind it.

The embedded default runs here: SQLite, the folder store, jobs in a thread of the API process; the
webhook receiver is a real HTTP server. `test_api_stack.py` runs the same flow on Redis + a worker.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitize.config import ApiConfig, Config, StorageConfig
from storage.repository import intake
from storage.repository.models import AuditEntry, Dossier, WebhookAttempt, WebhookDelivery, WorkItem
from tests.conftest import SAMPLES, truth
from tests.servers import asgi_server, webhook_receiver
from web.app import ApiContext, create_app, serving
from workers.logs import JsonLines

BIRTH = "birth_extract_clean.png"


@dataclass
class Intake:
    url: str
    context: ApiContext
    keys: dict[str, str]
    secret: str

    def headers(self, who: str = "portal", **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}", **extra}

    def count(self, model: Any) -> int:
        with Session(self.context.storage.db) as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    data = tmp_path_factory.mktemp("api") / "data"
    config = replace(
        Config(),
        storage=StorageConfig(data_dir=str(data)),
        api=ApiConfig(
            max_upload_bytes=3_000_000,
            max_documents=4,
            allow_http_callbacks=True,
            allow_private_callbacks=True,
            webhook_backoff_s=0.3,
            webhook_poll_s=0.2,
            webhook_timeout_s=3,
            rate_per_minute=600,
        ),
    )
    with serving(config) as context, asgi_server(create_app(context)) as url:
        engine = context.storage.db
        portal = intake.create_client(engine, "portal", ("submit", "read", "reuse"))
        keys = {
            "portal": portal.api_key,
            "reader": intake.create_client(engine, "dashboard", ("read",)).api_key,
            "slow": intake.create_client(engine, "slow", ("read",), rate_per_minute=3).api_key,
            "revoked": intake.create_client(engine, "old-portal", ("submit", "read")).api_key,
        }
        intake.revoke_client(engine, "old-portal")
        yield Intake(url, context, keys, portal.webhook_secret)


def form(code: str = "000.00.15.H29-251123-0001", **extra: str) -> dict[str, str]:
    return {
        "code": code,
        "procedure_code": "1.001193",
        "agency": "UBND xã Diễn Kỷ",
        "channel": "online",
        **extra,
    }


def upload(
    name: str, data: bytes | None = None, kind: str = "image/png"
) -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, data if data is not None else (SAMPLES / name).read_bytes(), kind))


def wait_for(predicate: Any, timeout: float = 120.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def signature_ok(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Checked here from the documented scheme, not with the sender's helper."""
    stamp = headers["X-Sohoa-Timestamp"]
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(stamp)) < 300
    return fresh and hmac.compare_digest("v1=" + expected, headers["X-Sohoa-Signature"])


def test_health_needs_no_key_and_everything_else_does(api: Intake) -> None:
    assert requests.get(f"{api.url}/health", timeout=10).json() == {
        "status": "ok",
        "database": True,
        "queue": True,
    }
    for headers in (
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": "Bearer sohoa_ffffffffffff_x"},
    ):
        response = requests.get(f"{api.url}/metrics", headers=headers, timeout=10)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"] == "unauthorized"
    revoked = requests.post(f"{api.url}/dossiers", headers=api.headers("revoked"), data=form(), timeout=10)
    assert revoked.status_code == 401


def test_scopes_refuse_before_any_data_is_touched(api: Intake) -> None:
    before = api.count(Dossier)
    response = requests.post(
        f"{api.url}/dossiers", headers=api.headers("reader"), data=form(), files=[upload(BIRTH)], timeout=30
    )
    assert response.status_code == 403
    assert "'submit' scope" in response.json()["message"]
    person = requests.get(f"{api.url}/persons/040200000001", headers=api.headers("reader"), timeout=10)
    assert person.status_code == 403
    assert set(person.json()) == {"error", "message", "fix", "problems"}
    assert api.count(Dossier) == before


def test_submit_process_and_signed_webhooks(api: Intake, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sohoa.api")
    with webhook_receiver(answers=[500]) as (hook, received):
        response = requests.post(
            f"{api.url}/dossiers",
            headers=api.headers(**{"Idempotency-Key": "first-birth"}),
            data=form(callback_url=hook),
            files=[upload(BIRTH)],
            timeout=60,
        )
        assert response.status_code == 201, response.text
        created = response.json()
        assert response.headers["Location"] == created["status_url"] == f"/dossiers/{created['id']}"
        wait_for(lambda: len(received) >= 3, what="two document attempts and the dossier event")
        time.sleep(1)  # nothing more may come
    events = [r for r in received if json.loads(r["body"])["event"].startswith("dossier.")]
    assert len(events) == 1 and len(received) == 3
    for request in received:
        assert signature_ok(api.secret, request["headers"], request["body"])
    payload = json.loads(events[0]["body"])
    assert payload["dossier"] == {
        "id": created["id"],
        "code": form()["code"],
        "status": payload["dossier"]["status"],
    }
    assert payload["dossier"]["status"] in ("done", "needs_review")
    # The first document event was answered 500: it was tried again with the same delivery id.
    first, *rest = [r for r in received if json.loads(r["body"])["event"].startswith("document.")]
    assert (
        first["answered"] == 500
        and rest
        and rest[0]["headers"]["X-Sohoa-Delivery"] == first["headers"]["X-Sohoa-Delivery"]
    )
    with Session(api.context.storage.db) as session:
        attempts = session.scalars(select(WebhookAttempt.status_code).order_by(WebhookAttempt.id)).all()
        delivered = session.scalars(select(WebhookDelivery.status)).all()
    assert list(attempts) == [500, 200, 200] and set(delivered) == {"delivered"}

    dossier = requests.get(f"{api.url}{created['status_url']}", headers=api.headers(), timeout=10).json()
    document = dossier["documents"][0]
    assert (
        document["status"] in ("done", "needs_review") and document["document_type"] == "birth_registration"
    )
    expected = truth(BIRTH)["records"][0]["personal_id"]["value"]
    pid = next(f for f in document["fields"] if f["field"] == "personal_id")
    assert pid["value"] == expected and pid["page"] == 1 and len(pid["box"]) == 4 and pid["confidence"] > 0
    pdf = requests.get(f"{api.url}{document['pdf_url']}", headers=api.headers(), timeout=10)
    assert pdf.headers["content-type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(pdf.content)) as signed:
        assert any(f.get("/FT") == "/Sig" for f in signed.Root.AcroForm.Fields)
    logged = "\n".join(JsonLines().format(r) for r in caplog.records)  # with every field of each event
    assert '"event": "http.request"' in logged and '"route": "/dossiers/{dossier_id}"' in logged
    assert expected not in logged  # routes are logged by template, never with the personal ID


def test_idempotent_resubmission_adds_no_work(api: Intake) -> None:
    headers = api.headers(**{"Idempotency-Key": "letter-42"})
    files = [upload("admin_letter_2pages.pdf", kind="application/pdf")]
    first = requests.post(
        f"{api.url}/dossiers", headers=headers, data=form("H29-42"), files=files, timeout=60
    )
    items = api.count(WorkItem)
    again = requests.post(
        f"{api.url}/dossiers", headers=headers, data=form("H29-42"), files=files, timeout=60
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["replayed"] is True
    assert api.count(WorkItem) == items
    other = requests.post(
        f"{api.url}/dossiers", headers=headers, data=form("H29-43"), files=files, timeout=60
    )
    assert other.status_code == 409 and other.json()["error"] == "conflict"
    assert api.count(WorkItem) == items


def test_oversized_disguised_and_broken_uploads_are_refused_by_name(api: Intake) -> None:
    dossiers = api.count(Dossier)
    url = f"{api.url}/dossiers"
    big = requests.post(
        url,
        headers=api.headers(),
        data=form(),
        files=[upload("x.png", b"\x89PNG" + bytes(3_100_000))],
        timeout=60,
    )
    assert big.status_code == 413 and big.json()["error"] == "payload_too_large"
    disguised = upload("scan.pdf", b"MZ\x90\x00 this is a program, not a scan", "application/pdf")
    refused = requests.post(url, headers=api.headers(), data=form(), files=[disguised], timeout=30)
    assert refused.status_code == 415 and refused.json()["message"].startswith("scan.pdf:")
    cut = upload("cut.png", (SAMPLES / BIRTH).read_bytes()[:20000])
    truncated = requests.post(url, headers=api.headers(), data=form(), files=[cut], timeout=30)
    assert truncated.status_code == 422 and truncated.json()["message"].startswith("cut.png:")
    locked = io.BytesIO()
    with pikepdf.open(SAMPLES / "admin_letter_2pages.pdf") as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="secret"))
    encrypted = requests.post(
        url, headers=api.headers(), data=form(), files=[upload("locked.pdf", locked.getvalue())], timeout=30
    )
    assert encrypted.status_code == 422 and "encrypted" in encrypted.json()["message"]
    bad_code = requests.post(
        url, headers=api.headers(), data=form(procedure_code="1193"), files=[upload(BIRTH)], timeout=30
    )
    assert bad_code.status_code == 422 and bad_code.json()["problems"][0]["where"].endswith("procedure_code")
    insecure = requests.post(
        url, headers=api.headers(), data=form(callback_url="ftp://x"), files=[upload(BIRTH)], timeout=30
    )
    assert insecure.status_code == 422 and insecure.json()["error"] == "invalid_callback"
    assert api.count(Dossier) == dossiers


def test_rate_limit_per_key(api: Intake) -> None:
    answers = [requests.get(f"{api.url}/metrics", headers=api.headers("slow"), timeout=10) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert requests.get(f"{api.url}/metrics", headers=api.headers("reader"), timeout=10).status_code == 200


def test_reuse_lookup_returns_accepted_data_and_is_audited(api: Intake) -> None:
    pid = truth(BIRTH)["records"][0]["personal_id"]["value"]
    wait_for(lambda: api.count(WorkItem) and _person(api, pid).status_code == 200, what="the person")
    person = _person(api, pid, dossier_code="H29-REUSE-1").json()
    assert person["personal_id"] == pid and person["data"]["full_name"]
    listing = requests.get(f"{api.url}/persons/{pid}/documents", headers=api.headers(), timeout=10).json()
    copy = requests.get(f"{api.url}{listing['documents'][0]['pdf_url']}", headers=api.headers(), timeout=10)
    assert copy.content.startswith(b"%PDF")
    missing = _person(api, "001099000000")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    with Session(api.context.storage.db) as session:
        reuse = session.scalars(select(AuditEntry).where(AuditEntry.action == "reuse")).all()
    assert any(e.entity_id == pid and e.detail["dossier_code"] == "H29-REUSE-1" for e in reuse)
    assert {e.actor for e in reuse} == {"portal"}
    assert any(e.entity_id == "001099000000" and e.detail["found"] is False for e in reuse)


def _person(api: Intake, pid: str, **params: str) -> requests.Response:
    return requests.get(f"{api.url}/persons/{pid}", headers=api.headers(), params=params, timeout=10)


def test_metrics_are_prometheus_text(api: Intake) -> None:
    text = requests.get(f"{api.url}/metrics", headers=api.headers(), timeout=10).text
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if not line.startswith("#")}
    assert {"sohoa_queue_depth", "sohoa_items", "sohoa_pages_per_minute", "sohoa_failures"} <= names
    assert "sohoa_review_backlog" in names
    for line in text.splitlines():
        if not line.startswith("#"):
            float(line.rsplit(" ", 1)[1])


def test_other_clients_dossiers_do_not_exist(api: Intake, tmp_path: Path) -> None:
    response = requests.post(
        f"{api.url}/dossiers", headers=api.headers(), data=form("H29-OWN"), files=[upload(BIRTH)], timeout=60
    )
    status_url = response.json()["status_url"]
    assert (
        requests.get(f"{api.url}{status_url}", headers=api.headers("reader"), timeout=10).status_code == 404
    )


def test_result_makes_the_e_result_and_the_report_counts_it(api: Intake) -> None:
    """A dossier that reused repository data, digitized, then given its result: 100 % on all three shares."""
    pid = truth(BIRTH)["records"][0]["personal_id"]["value"]
    wait_for(lambda: _person(api, pid).status_code == 200, what="the person from an earlier dossier")
    assert _person(api, pid, dossier_code="H29-E-1").status_code == 200  # the portal reuses the data
    agency = "UBND phường Hạc Thành"
    with webhook_receiver() as (hook, received):
        created = requests.post(
            f"{api.url}/dossiers",
            headers=api.headers(),
            data=form("H29-E-1", agency=agency, callback_url=hook),
            files=[upload("death_extract_rotated90.png")],
            timeout=60,
        ).json()
        status_url = f"{api.url}{created['status_url']}"
        wait_for(lambda: _dossier_event(received), what="the dossier finished")
        result = requests.post(
            f"{status_url}/results",
            headers=api.headers(),
            files=[upload("birth_extract_200dpi.png")],
            timeout=60,
        )
        assert result.status_code == 202, result.text
        assert requests.get(status_url, headers=api.headers(), timeout=10).json()["status"] in (
            "queued",
            "processing",
        )
        wait_for(
            lambda: len(_dossier_event(received)) >= 2, what="the dossier finished again, with its result"
        )
    documents = requests.get(status_url, headers=api.headers(), timeout=10).json()["documents"]
    assert [d["role"] for d in documents] == ["component", "result"]
    assert documents[1]["pdf_url"]
    announced = [json.loads(r["body"]) for r in received]
    assert any(e.get("document", {}).get("role") == "result" for e in announced)

    report = requests.get(
        f"{api.url}/reports/indicators", headers=api.headers("reader"), params={"agency": agency}, timeout=30
    )
    assert report.status_code == 200, report.text
    figures = report.json()["agencies"][agency]
    assert figures["dossiers_received"] == 1
    assert (figures["digitized_share"], figures["e_result_share"], figures["reuse_share"]) == (1.0, 1.0, 1.0)
    hours = figures["median_hours_to_e_result"]  # seconds here: 0.0 at two decimals of an hour
    assert hours is not None and 0 <= hours < 0.1
    assert report.json()["total"] == figures


def test_results_and_reports_refuse_what_they_cannot_serve(api: Intake) -> None:
    missing = requests.post(
        f"{api.url}/dossiers/00000000-0000-4000-8000-000000000000/results",
        headers=api.headers(),
        files=[upload(BIRTH)],
        timeout=30,
    )
    assert missing.status_code == 404
    backwards = requests.get(
        f"{api.url}/reports/indicators",
        headers=api.headers(),
        params={"from": "2026-11-05", "to": "2026-11-01"},
        timeout=10,
    )
    assert backwards.status_code == 422 and backwards.json()["error"] == "invalid_request"
    assert "swap the dates" in backwards.json()["fix"]


def _dossier_event(received: list[dict[str, Any]]) -> list[dict[str, Any]]:
    events = [json.loads(r["body"]) for r in received]
    return [e for e in events if e["event"].startswith("dossier.")]
