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
import ipaddress
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import Engine

from digitize.config import ApiConfig
from digitize.errors import RequestError
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


def callback_target(url: str, config: ApiConfig) -> tuple[str, str]:
    """(host name, the one checked address to connect to) of a callback URL, or RequestError naming why
    it is refused: another scheme than https (http only when allowed), credentials in the URL, a host
    off the allow-list, a name that does not resolve, or any address that is loopback, private,
    link-local, multicast or reserved (IPv4 and IPv6, IPv4-mapped included: 0x7f000001 is 127.0.0.1)."""
    schemes = ("https", "http") if config.allow_http_callbacks else ("https",)
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname or any(c.isspace() for c in url):
        raise _refused(f"callback_url must be an {' or '.join(schemes)} URL with a host")
    if parts.username is not None or parts.password is not None:
        raise _refused("callback_url must not carry a user name or password")
    host = parts.hostname
    if config.callback_hosts and host not in config.callback_hosts:
        raise _refused(f"callback host {host!r} is not on api.callback_hosts")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (OSError, ValueError, UnicodeError):
        raise _refused(f"callback host {host!r} does not resolve") from None
    addresses = sorted(str(_address(str(a))) for a in found)
    bad = [
        a for a in addresses if not config.allow_private_callbacks and not _public(ipaddress.ip_address(a))
    ]
    if bad or not addresses:
        raise _refused(f"callback host {host!r} resolves to an address that is not public ({', '.join(bad)})")
    return host, addresses[0]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    address = ipaddress.ip_address(text.split("%", 1)[0])
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return mapped or address


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_global and not address.is_multicast


def _refused(message: str) -> RequestError:
    return RequestError(
        message, fix="give an https URL of the intake system's receiver", code="invalid_callback"
    )


class _PinnedAdapter(HTTPAdapter):
    """Connect to the address checked a moment ago, keep the host name for TLS (SNI and the certificate):
    no second name resolution between the check and the connection."""

    def __init__(self, host: str) -> None:
        self._host = host
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["server_hostname"] = self._host
        kwargs["assert_hostname"] = self._host
        super().init_poolmanager(*args, **kwargs)


def pinned_post(url: str, body: bytes, headers: dict[str, str], timeout: float, config: ApiConfig) -> int:
    """POST to a callback URL after checking it again, at the address that was checked."""
    host, address = callback_target(url, config)
    parts = urlsplit(url)
    netloc = f"[{address}]" if ":" in address else address
    if parts.port:
        netloc += f":{parts.port}"
    with requests.Session() as session:
        session.mount(f"{parts.scheme}://", _PinnedAdapter(host))
        response = session.post(
            urlunsplit(parts._replace(netloc=netloc)),
            data=body,
            headers={**headers, "Host": parts.netloc},
            timeout=timeout,
            allow_redirects=False,
        )
    return response.status_code


def deliver(delivery: DueDelivery, timeout: float, post: Post) -> tuple[int | None, str]:
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
    except RequestError as exc:
        return None, f"refused destination: {exc.message}"
    except requests.RequestException as exc:
        return None, f"{exc.__class__.__name__}: no answer from the receiver"
    return status, "" if 200 <= status < 300 else f"receiver answered HTTP {status}"


def dispatch_due(
    engine: Engine, config: ApiConfig, owner: str, post: Post | None = None, most: int = 50
) -> int:
    """Send due deliveries (one claim at a time, so a slow receiver cannot outlive a lease)."""
    sent = 0
    while sent < most:
        due = claim_due_deliveries(engine, owner, lease_s=config.webhook_timeout_s * 3, limit=1)
        if not due:
            break
        _attempt(engine, config, due[0], post or (lambda u, b, h, t: pinned_post(u, b, h, t, config)))
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
