"""The review station (trạm kiểm tra): staff sign in at /login and confirm or correct fields at /review.

Served by the intake API's app. Sessions are cookies holding a random token (HttpOnly, SameSite=Strict,
Secure unless turned off for loopback tests); only its hash is stored, and it expires when idle or old.
Every /review page and call without a live session redirects to /login. Decisions are JSON POSTs that
must carry the `X-Sohoa-Review` header, which a cross-site form cannot send.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from digitize.errors import NotFoundError, SignInRequired
from digitize.extract.text import plain_text
from digitize.ports import DocumentSigner
from signing.sign import unsigned_base
from signing.signers import build_signer
from storage.repository import intake, keying, review
from web import api_docs, keying_page, review_page
from web.context import ApiContext
from web.guard import SignInThrottle
from web.keying import add_keying_routes
from web.page_images import PageImages
from web.station import document_or_missing, from_station, next_document

COOKIE = "sohoa_session"
MAX_ID = 2**31 - 1


class DecisionIn(BaseModel):
    field_id: int = Field(ge=1, le=MAX_ID)
    action: str = Field(pattern="^(accept|correct|illegible|blank)$")
    value: str | None = Field(None, max_length=500)
    reason: str = Field("", max_length=500)  # a supervisor reopening a decided field says why
    keystrokes: int = Field(0, ge=0, le=10_000)  # keys pressed in the field (keying figures)


class DecisionsIn(BaseModel):
    decisions: list[DecisionIn] = Field(min_length=1, max_length=200)


@dataclass
class ReviewContext:
    """What the station needs beyond the API: the seal's signer, built on the first re-issue."""

    api: ApiContext
    pages: PageImages = field(default_factory=PageImages)
    _signer: DocumentSigner | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def signer(self) -> DocumentSigner:
        with self._lock:
            if self._signer is None:
                from pathlib import Path as FsPath

                config = self.api.config
                self._signer = build_signer(config.signing, FsPath(config.storage.data_dir))
            return self._signer


def session_in_cookies(engine: Any, idle_minutes: int) -> Callable[[str], bool]:
    """For the review gate: whether a Cookie header holds a live session (checked before any body)."""

    def has_session(header: str) -> bool:
        jar = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            return False
        token = jar[COOKIE].value if COOKIE in jar else ""
        return bool(token) and review.session_staff(engine, token, idle_minutes) is not None

    return has_session


def add_review_routes(app: FastAPI, api: ApiContext) -> None:
    engine = api.storage.db
    cfg = api.config.api

    def staff_of(request: Request) -> review.Staff:
        token = request.cookies.get(COOKIE)
        who = review.session_staff(engine, token, cfg.session_idle_minutes) if token else None
        if who is None:
            raise SignInRequired(str(request.url.path) if request.method == "GET" else "/review")
        return who

    context = ReviewContext(api)
    _session_routes(app, engine, cfg)
    _review_routes(app, context, staff_of)
    add_keying_routes(app, engine, api.storage.store.get, staff_of, lambda d: _warm(context, d))


def _session_routes(app: FastAPI, engine: Any, cfg: Any) -> None:
    @app.get("/static/{name}", include_in_schema=False)
    def static(name: Annotated[str, Path(max_length=40)]) -> Response:
        url = f"/static/{name}"
        found = next((f for m in (review_page, keying_page, api_docs) if (f := m.static_asset(url))), None)
        if found is None:
            raise NotFoundError(f"no file {name}", fix="check the address")
        return Response(found[0], media_type=found[1])

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/review") -> str:
        return review_page.login(_safe_next(next), failed=False, needs_https=_cookie_dropped(request, cfg))

    throttle = SignInThrottle()

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request,
        username: Annotated[str, Form(max_length=100)],
        password: Annotated[str, Form(max_length=200)],
        next: Annotated[str, Form(max_length=500)] = "/review",
    ) -> Response:
        if _cookie_dropped(request, cfg):  # a session would be made and lost: say why instead of looping
            page = review_page.login(_safe_next(next), failed=False, needs_https=True)
            return HTMLResponse(page, status_code=400)
        name = plain_text(username)
        keys = (f"user:{name.casefold()}", f"client:{request.client.host if request.client else '-'}")
        wait = throttle.wait(keys)
        if wait:  # refused before the password is even looked at
            page = review_page.login(_safe_next(next), failed=True, wait_s=wait)
            return HTMLResponse(page, status_code=429, headers={"Retry-After": str(wait)})
        signed = review.sign_in(engine, name, password, cfg.session_max_hours)
        if signed is None:
            throttle.failed(keys)
            intake.audit(
                engine, name[:100] or "-", "review.sign_in_failed", "staff", name[:100], client=keys[1]
            )
            return HTMLResponse(review_page.login(_safe_next(next), failed=True), status_code=401)
        throttle.succeeded(keys[:1])
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(
            COOKIE,
            signed[0],
            max_age=cfg.session_max_hours * 3600,
            httponly=True,
            samesite="strict",
            secure=cfg.secure_cookies,
            path="/",
        )
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        if token := request.cookies.get(COOKIE):
            review.sign_out(engine, token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response


def _review_routes(app: FastAPI, context: ReviewContext, staff_of: Callable[[Request], review.Staff]) -> None:
    api = context.api
    engine = api.storage.db
    signed_in = Depends(staff_of)  # resolved before the body is read: no session, no validation either

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def queue(
        who: review.Staff = signed_in,
        batch: Annotated[str | None, Query(max_length=200)] = None,
        agency: Annotated[str | None, Query(max_length=100)] = None,
    ) -> str:
        entries = review.review_queue(engine, batch or None, agency or None, staff=who.username)
        return review_page.queue(who, entries, batch or "", agency or "")

    @app.get("/review/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document(*, who: review.Staff = signed_in, document_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> str:
        doc = document_or_missing(engine, document_id)
        threshold = api.config.extract.accept_threshold
        return review_page.document(who, doc, threshold)

    @app.get("/review/documents/{document_id}/crop.png", include_in_schema=False)
    def crop(
        *,
        _who: review.Staff = signed_in,
        document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        page: Annotated[int, Query(ge=1, le=10_000)],
        box: Annotated[str, Query(pattern=r"^\d{1,6}(,\d{1,6}){3}$")],
    ) -> Response:
        cut = tuple(int(v) for v in box.split(","))

        def crop_of(key: str, dpi: float, pdf: Callable[[], bytes]) -> bytes:
            return context.pages.crop(key, page, dpi, pdf, cut)

        png = _page_of(context, document_id, page, crop_of)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})

    @app.get("/review/documents/{document_id}/page.jpg", include_in_schema=False)
    def page_view(
        *,
        _who: review.Staff = signed_in,
        document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        page: Annotated[int, Query(ge=1, le=10_000)],
    ) -> Response:
        jpeg = _page_of(
            context, document_id, page, lambda key, dpi, pdf: context.pages.view(key, page, dpi, pdf)
        )
        return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"})

    @app.post("/review/documents/{document_id}/decisions", include_in_schema=False)
    def decide(
        *,
        who: review.Staff = signed_in,
        request: Request,
        document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        body: DecisionsIn,
    ) -> JSONResponse:
        from_station(request)
        decisions = [
            review.Decision(d.field_id, d.action, d.value, d.reason, d.keystrokes) for d in body.decisions
        ]
        key = _reissue_if_complete(context, document_id, who, decisions)
        outcome = review.apply_decisions(engine, document_id, who, decisions, key)
        finished = outcome.waiting_for_you == 0  # only then is the next document asked for (a queue query)
        return JSONResponse(
            {
                "changed": outcome.changed,
                "remaining": outcome.remaining,
                "waiting_for_you": outcome.waiting_for_you,
                "document_status": outcome.document_status,
                "reissued": key is not None,
                "reopened": outcome.reopened,
                "numbering": keying.numbering_problems(engine, document_id) if not outcome.remaining else [],
                "next": next_document(engine, who.username, document_id) if finished else None,
            }
        )


#: Hosts a browser treats as a secure context over plain HTTP (it keeps Secure cookies for them).
_TRUSTED_HTTP_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")


def _cookie_dropped(request: Request, cfg: Any) -> bool:
    """Secure session cookies over plain HTTP to a LAN address: the browser would not keep them."""
    host = (request.url.hostname or "").lower()
    return bool(cfg.secure_cookies) and request.url.scheme == "http" and host not in _TRUSTED_HTTP_HOSTS


def _safe_next(target: str) -> str:
    """Only pages of the station itself: never an open redirect."""
    return target if target.startswith("/review") and "//" not in target and "\\" not in target else "/review"


def _warm(context: ReviewContext, document_id: int) -> None:
    """Render the document's first page in the background (its view and crops are asked for next)."""
    source = review.page_source(context.api.storage.db, document_id)
    if source is None or not source.signed_key or not source.page_dpi:
        return
    key, first = source.signed_key, min(source.page_dpi)
    if context.pages.has(key, first):
        return  # rendered, or being rendered, already

    def render() -> None:
        with contextlib.suppress(Exception):  # the request that needs the page renders it and answers
            context.pages.view(key, first, source.page_dpi[first], lambda: context.api.storage.store.get(key))

    threading.Thread(target=render, name="sohoa-warm-page", daemon=True).start()


def _page_of(
    context: ReviewContext,
    document_id: int,
    page: int,
    cut: Callable[[str, float, Callable[[], bytes]], bytes],
) -> bytes:
    """An image made from a page of the document's signed copy (the copy is read only to render it)."""
    source = review.page_source(context.api.storage.db, document_id)
    if source is None or not source.signed_key:
        raise NotFoundError(f"no stored copy of document {document_id}", fix="go back to the queue")
    key = source.signed_key
    return cut(key, source.page_dpi.get(page, 300.0), lambda: context.api.storage.store.get(key))


def _reissue_if_complete(
    context: ReviewContext, document_id: int, who: review.Staff, decisions: list[review.Decision]
) -> str | None:
    """When these decisions finish a document whose values were corrected, sign a re-issued copy first
    (after checking them: a refused request leaves no signed copy behind)."""
    engine = context.api.storage.db
    if review.waiting_count(engine, document_id) > len(decisions):
        return None  # not finished by these: the common case, answered by one count
    doc = document_or_missing(engine, document_id)
    decided = {d.field_id for d in decisions}
    if any(f.status == "needs_review" and f.id not in decided for f in doc.fields):
        return None  # not finished yet
    if any(d.action == "illegible" for d in decisions) or any(f.status == "illegible" for f in doc.fields):
        return None  # waits for the paper; no e-result yet
    by_id = {f.id: f for f in doc.fields}
    if any(d.field_id not in by_id for d in decisions):
        return None  # refused by apply_decisions, naming the field; nothing is signed for it
    corrected_now = any(
        (d.action == "correct" and (d.value or "").strip() != (by_id[d.field_id].value or ""))
        or (d.action == "blank" and by_id[d.field_id].value is not None)
        for d in decisions
    )
    if not doc.signed_key or not (corrected_now or review.has_corrections(engine, document_id)):
        return None
    if review.check_decisions(engine, document_id, who, decisions):  # refused before anything is signed
        return None  # a batch keyed twice: these keyings do not decide everything yet
    store = context.api.storage.store
    # A fresh copy of the same archival image, signed now; the earlier copy stays stored as it was.
    signed, _ = context.signer().sign(unsigned_base(store.get(doc.signed_key)))
    prefix, name = doc.signed_key.rsplit("/", 1)
    found = re.fullmatch(r"signed-r(\d+)\.pdf", name)
    revision = int(found.group(1)) + 1 if found else 2
    return str(store.put(f"{prefix}/signed-r{revision}.pdf", signed, {"role": "signed-copy-reviewed"}).key)
