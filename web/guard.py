"""What stands between the network and the intake API: body size limit, rate limit, access log.

- `BodyLimit` refuses a request body over the limit before the application reads any of it (by its
  Content-Length, or while counting a chunked body), spooling what it accepts to a temporary file so a
  large upload never sits whole in memory twice.
- `RateLimiter` is a token bucket per API key (per process: N API processes allow N × the rate).
- `AccessLog` logs method, route template, status, duration and client name. The template
  (`/persons/{personal_id}`), never the path: a personal ID in a URL must not reach application logs.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digitize.errors import AuthenticationError, PayloadTooLargeError, SohoaError
from web.errors import error_body, error_response
from workers.logs import event

log = logging.getLogger("sohoa.api")

_CHUNK = 1 << 16


async def send_json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        with tempfile.SpooledTemporaryFile(max_size=1 << 20) as spool:
            if not await self._read(receive, spool):
                await self._refuse(send)
                return
            spool.seek(0)
            await self.app(scope, _replay(spool), send)

    async def _read(self, receive: Receive, spool: Any) -> bool:
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return False
            spool.write(chunk)
            if not message.get("more_body", False):
                return True

    async def _refuse(self, send: Send) -> None:
        error = PayloadTooLargeError(
            f"the request body is larger than {self.max_bytes:,} bytes",
            fix="split the dossier into smaller requests, or reference objects already in the store",
        )
        await send_json(send, error.http_status, error_body(error), [(b"connection", b"close")])


def _replay(spool: Any) -> Receive:
    done = False

    async def receive() -> Message:
        nonlocal done
        if done:
            return {"type": "http.disconnect"}
        chunk = spool.read(_CHUNK)
        more = len(chunk) == _CHUNK
        done = not more
        return {"type": "http.request", "body": chunk, "more_body": more}

    return receive


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Token bucket per key: `rate` requests per minute, bursts up to `rate`."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, client_id: int, rate_per_minute: int) -> float:
        """0 when the request may go ahead, else the seconds to wait before the next one."""
        with self._lock:
            moment = self._clock()
            bucket = self._buckets.setdefault(client_id, _Bucket(float(rate_per_minute), moment))
            per_second = rate_per_minute / 60.0
            bucket.tokens = min(float(rate_per_minute), bucket.tokens + (moment - bucket.at) * per_second)
            bucket.at = moment
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / per_second


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", "(no route)")
            client = scope.get("state", {}).get("client_name", "-")
            elapsed = (time.perf_counter() - started) * 1000
            fields = {"method": scope["method"], "route": route, "status": status, "ms": round(elapsed)}
            event(log, logging.INFO, "http.request", "answered", **fields, client=client)


#: The station's pages load their script and style from this server and nothing else; nothing frames them.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Headers on every response: a strict CSP, no sniffing, no framing, no referrer; and no caching of
    anything but the station's static script and style (every other answer may hold personal data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _SECURITY_HEADERS if k not in present]
                if b"cache-control" not in present:
                    extra.append((b"cache-control", b"public, max-age=3600" if static else b"no-store"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


class CatchAll:
    """The last guard: an exception no handler answered becomes the documented 500 body, and only its
    class is logged (its text may hold personal data; Starlette would log the whole traceback)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            log.error("unexpected %s while answering a request", exc.__class__.__name__)
            if scope["type"] == "http" and not started:
                error = SohoaError("unexpected error", fix="report it to the operators")
                await send_json(send, 500, error_body(error), [])


class SignInThrottle:
    """Failed sign-ins counted per account and per client address over a window: after `free` failures
    every further attempt waits 2^(n - free) seconds, up to `cap` (per process); `lock_after` failures of
    one account within the window lock it until a supervisor lifts the lock (`digitize staff unlock`)."""

    lock_after = 10  # reached in about two minutes of waiting out the delays: a determined guesser

    def __init__(
        self, free: int = 5, window_s: float = 900.0, cap_s: float = 900.0, clock: Any = time.monotonic
    ):
        self.free, self.window_s, self.cap_s, self._clock = free, window_s, cap_s, clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def wait(self, keys: tuple[str, ...]) -> int:
        """Seconds before the next attempt may be made (0: now)."""
        moment = self._clock()
        with self._lock:
            waits = []
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if moment - t < self.window_s]
                self._failures[key] = recent
                if len(recent) >= self.free:
                    delay = min(self.cap_s, 2.0 ** (len(recent) - self.free + 1))
                    waits.append(max(0.0, recent[-1] + delay - moment))
            return int(max(waits, default=0.0) + 0.999)

    def failed(self, keys: tuple[str, ...]) -> int:
        """Record a failure; returns how many the first key (the account) has in the window."""
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(self._clock())
            return len(self._failures[keys[0]])

    def succeeded(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


class ReviewGate:
    """Review-station calls that change something (POST under /review) are refused before a byte of
    their body is read unless they carry a live session: an anonymous 49 MB POST is answered 303 to the
    sign-in page at once. Bodies of signed-in calls are capped too (decisions are small)."""

    def __init__(self, app: ASGIApp, has_session: Any, max_bytes: int = 256_000) -> None:
        self.app, self.has_session, self.max_bytes = app, has_session, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD") or not path.startswith("/review"):
            await self.app(scope, receive, send)
            return
        cookies = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
        if not await to_thread.run_sync(self.has_session, cookies):
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [
                        (b"location", b"/login?next=/review"),
                        (b"content-length", b"0"),
                        (b"connection", b"close"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await BodyLimit(self.app, self.max_bytes)(scope, receive, send)


class KeyGate:
    """Uploads (POST under /dossiers) are refused before a byte of their body is read unless they carry a
    known, live API key: an anonymous or revoked caller cannot make the server read 50 MB. The route's own
    dependency still checks the scope and the rate."""

    def __init__(self, app: ASGIApp, key_is_live: Any) -> None:
        self.app, self.key_is_live = app, key_is_live

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or scope["method"] != "POST" or not path.startswith("/dossiers"):
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        scheme, _, key = header.partition(" ")
        if scheme.lower() == "bearer" and await self._live(key.strip()):
            await self.app(scope, receive, send)
            return
        refusal = error_response(
            AuthenticationError("missing, unknown or revoked API key", fix="send Authorization: Bearer <key>")
        )
        refusal.headers["connection"] = "close"
        await refusal(scope, receive, send)

    async def _live(self, key: str) -> bool:
        try:
            return bool(await to_thread.run_sync(self.key_is_live, key))
        except Exception:  # the repository is away: the route answers that, in the documented shape
            return True
