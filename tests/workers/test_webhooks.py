"""The webhook outbox and dispatcher, the rate limiter and the body limit, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from digitize.config import ApiConfig
from storage.repository import intake, open_repository, work
from storage.repository.models import Dossier, WebhookAttempt, WebhookDelivery
from tests.servers import webhook_receiver
from web.guard import RateLimiter
from workers.webhooks import dispatch_due, signature, verify_signature


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if request.param == "sqlite":
        return open_repository(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    return open_repository(str(request.getfixturevalue("pg_database")))


def _dossier(engine: Engine, callback: str, documents: int) -> tuple[str, list[int]]:
    client = intake.create_client(engine, f"c{time.monotonic_ns()}", ("submit",))
    request = intake.DossierRequest("H-1", "1.001193", "UBND", "online", callback, None, "h")
    dossier_id, _ = intake.open_dossier(engine, client.client.id, request)
    batch = intake.dossier_batch(dossier_id)
    items = [
        work.add_item(
            engine, work.NewItem(batch, "a", f"d{i}.png", f"k{i}", f"{i:064d}", dossier_id=dossier_id)
        )[0]
        for i in range(documents)
    ]
    intake.mark_received(engine, dossier_id)
    return dossier_id, items


def test_documents_finishing_together_announce_the_dossier_once(engine: Engine) -> None:
    dossier_id, items = _dossier(engine, "https://portal.example/hook", 6)
    claims = [work.claim(engine, i, f"w{i}", 30) for i in items]
    barrier = threading.Barrier(len(claims))

    def finish(claim: work.Claim | None) -> None:
        assert claim is not None
        barrier.wait()
        for _ in range(20):  # SQLite may report a busy database under concurrent writers
            try:
                assert work.finish(engine, claim, "done", document_id=None)
                return
            except Exception as exc:  # noqa: BLE001
                if "locked" not in str(exc):
                    raise
                time.sleep(0.05)

    threads = [threading.Thread(target=finish, args=(c,)) for c in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engine) as session:
        events = session.scalars(
            select(WebhookDelivery.event).where(WebhookDelivery.dossier_id == dossier_id)
        ).all()
        status = session.get_one(Dossier, dossier_id).status
    assert sorted(events) == ["document.done"] * 6 + ["dossier.done"]
    assert status == "done"


def test_failing_receiver_is_retried_with_backoff_then_given_up(engine: Engine) -> None:
    config = ApiConfig(
        webhook_max_attempts=3,
        webhook_backoff_s=0.2,
        webhook_timeout_s=2,
        allow_http_callbacks=True,  # the receiver is a loopback test server
        allow_private_callbacks=True,
    )
    with webhook_receiver(answers=[503] * 6) as (hook, received):
        dossier_id, items = _dossier(engine, hook, 1)
        claim = work.claim(engine, items[0], "w", 30)
        assert claim is not None and work.finish(engine, claim, "failed", error="x.png: damaged — rescan")
        sent_at = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(sent_at) < 6:
            if dispatch_due(engine, config, "test"):
                sent_at.append(time.monotonic())
            time.sleep(0.02)
    with Session(engine) as session:
        deliveries = session.scalars(select(WebhookDelivery)).all()
        attempts = session.scalars(select(WebhookAttempt).order_by(WebhookAttempt.id)).all()
    assert {d.status for d in deliveries} == {"failed"} and {d.attempts for d in deliveries} == {3}
    assert [a.status_code for a in attempts] == [503] * 6 and [a.attempt for a in attempts][:2] == [1, 1]
    assert len(received) == 6
    gaps = [b - a for a, b in zip(sent_at, sent_at[2:], strict=False)]
    assert min(gaps) >= 0.15  # the same delivery waits out its backoff
    document_event = next(r for r in received if r["headers"]["X-Sohoa-Event"] == "document.failed")
    assert b'"pdf_url": null' in document_event["body"] and b"damaged" in document_event["body"]


def test_signature_scheme() -> None:
    stamp, body = str(int(time.time())), b'{"event":"document.done"}'
    header = signature("whsec_x", stamp, body)
    assert verify_signature("whsec_x", stamp, body, header)
    assert not verify_signature("whsec_x", stamp, body + b" ", header)
    assert not verify_signature("whsec_y", stamp, body, header)
    old = str(int(time.time()) - 3600)
    assert not verify_signature("whsec_x", old, body, signature("whsec_x", old, body))


def test_rate_limiter_refills_at_the_key_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [limiter.take(1, 2) for _ in range(3)][:2] == [0.0, 0.0]
    assert limiter.take(1, 2) == pytest.approx(30.0, abs=0.1)
    assert limiter.take(2, 2) == 0.0  # other keys have their own bucket
    now[0] = 30.0
    assert limiter.take(1, 2) == 0.0 and limiter.take(1, 2) > 0


def test_chunked_body_over_the_limit_is_refused(tmp_path: Path) -> None:
    from digitize.config import Config, StorageConfig
    from tests.servers import asgi_server
    from web.app import ApiContext, create_app
    from workers.jobs import open_storage
    from workers.queue import InlineQueue

    config = Config(storage=StorageConfig(data_dir=str(tmp_path)), api=ApiConfig(max_upload_bytes=100_000))
    storage = open_storage(config)
    context = ApiContext(config, storage, InlineQueue(lambda _: None, time.sleep), RateLimiter())
    # A live key: without one the upload is refused (401) before its body is read at all.
    key = intake.create_client(storage.db, "portal", ("submit",)).api_key
    with asgi_server(create_app(context)) as url:
        chunks = (b"x" * 10_000 for _ in range(20))  # no Content-Length: counted as it arrives
        headers = {"Authorization": f"Bearer {key}"}
        response = requests.post(f"{url}/dossiers", data=chunks, headers=headers, timeout=10)
    storage.close()
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"


def test_a_retried_document_is_announced_again(engine: Engine) -> None:
    dossier_id, items = _dossier(engine, "https://portal.example/hook", 1)
    first = work.claim(engine, items[0], "w1", 30)
    assert first is not None and work.finish(engine, first, "failed", error="TSA down")
    assert work.reset_failed(engine, intake.dossier_batch(dossier_id)) == items
    second = work.claim(engine, items[0], "w2", 30)
    assert second is not None and second.attempt == first.attempt  # the attempt count started over
    assert work.finish(engine, second, "done")
    with Session(engine) as session:
        events = session.scalars(select(WebhookDelivery.event).order_by(WebhookDelivery.id)).all()
    assert list(events) == ["document.failed", "dossier.failed", "document.done", "dossier.done"]
