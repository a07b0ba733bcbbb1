"""Outbound webhooks: signed, retried with backoff, every attempt recorded.

Each delivery is a POST of JSON to the dossier's callback URL with these headers:

- `X-Sohoa-Event`: e.g. `document.done`, `dossier.needs_review`;
- `X-Sohoa-Delivery`: the delivery id (the same on every retry: receivers de-duplicate on it);
- `X-Sohoa-Timestamp`: Unix seconds when this attempt was signed;
- `X-Sohoa-Signature`: `v1=` + hex HMAC-SHA256 with the client's webhook secret over
  `<timestamp>.<body>`. Receivers recompute it, compare in constant time and refuse timestamps more
  than a few minutes old (replay).

A 2xx answer delivers; anything else (or no answer within the timeout) is retried after
`webhook_backoff_s`, doubling, until `webhook_max_attempts`. The outbox rows are written with the status
change itself (`storage.repository.outbox`); dispatchers in `digitize serve` and in every worker send them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable

import requests
from sqlalchemy import Engine

from digitize.config import ApiConfig
from storage.repository.intake import DueDelivery, claim_due_deliveries, record_attempt

log = logging.getLogger("sohoa.webhooks")

SIGNATURE_HEADER = "X-Sohoa-Signature"
TIMESTAMP_HEADER = "X-Sohoa-Timestamp"

Post = Callable[[str, bytes, dict[str, str], float], int]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, header: str, tolerance_s: float = 300) -> bool:
    """For receivers: the signature matches and the timestamp is recent."""
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance_s and hmac.compare_digest(signature(secret, timestamp, body), header)


def _http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    response = requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    return response.status_code


def deliver(delivery: DueDelivery, timeout: float, post: Post = _http_post) -> tuple[int | None, str]:
    """One attempt: (HTTP status or None, error text)."""
    body = json.dumps({"delivery": delivery.id, **delivery.payload}, ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "sohoa-webhooks/1",
        "X-Sohoa-Event": delivery.event,
        "X-Sohoa-Delivery": str(delivery.id),
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: signature(delivery.secret, stamp, body),
    }
    try:
        status = post(delivery.url, body, headers, timeout)
    except requests.RequestException as exc:
        return None, f"{exc.__class__.__name__}: no answer from the receiver"
    return status, "" if 200 <= status < 300 else f"receiver answered HTTP {status}"


def dispatch_due(
    engine: Engine, config: ApiConfig, owner: str, post: Post = _http_post, most: int = 50
) -> int:
    """Send due deliveries (one claim at a time, so a slow receiver cannot outlive a lease)."""
    sent = 0
    while sent < most:
        due = claim_due_deliveries(engine, owner, lease_s=config.webhook_timeout_s * 3, limit=1)
        if not due:
            break
        _attempt(engine, config, due[0], post)
        sent += 1
    return sent


def _attempt(engine: Engine, config: ApiConfig, delivery: DueDelivery, post: Post) -> None:
    started = time.perf_counter()
    status, error = deliver(delivery, config.webhook_timeout_s, post)
    elapsed = (time.perf_counter() - started) * 1000
    last = delivery.attempt >= config.webhook_max_attempts
    retry = None if last else config.webhook_backoff_s * 2 ** (delivery.attempt - 1)
    outcome = record_attempt(engine, delivery, status, error, elapsed, retry)
    if outcome != "delivered":
        log.warning("webhook %d attempt %d: %s → %s", delivery.id, delivery.attempt, error, outcome)


class Dispatcher:
    """A daemon thread that sends due deliveries every `webhook_poll_s` until stopped."""

    def __init__(self, engine: Engine, config: ApiConfig, owner: str) -> None:
        self._engine, self._config, self._owner = engine, config, owner
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="webhooks", daemon=True)

    def start(self) -> Dispatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(self._config.webhook_timeout_s + 5)

    def _loop(self) -> None:
        while not self._stop.wait(self._config.webhook_poll_s):
            try:
                dispatch_due(self._engine, self._config, self._owner)
            except Exception as exc:  # the database is away: try again at the next tick
                log.warning("webhook dispatcher: %s", exc.__class__.__name__)
