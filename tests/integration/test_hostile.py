"""A hostile client against a real server on loopback: every attack found so far, replayed, and refused.

Keep it growing: an attack that worked once gets a test here that fails if the fix is removed.
"""

from __future__ import annotations

import io
import logging
import socket
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.config import ApiConfig, Config, OcrConfig, StorageConfig
from digitize.errors import PermissionDeniedError, RequestError
from digitize.extract.text import plain_text
from digitize.facts import Window
from storage.repository import intake, review
from storage.repository.models import AuditEntry, Dossier, FieldValueRow
from storage.repository.reports import load_facts
from storage.repository.store import ObjectKeys, save_result
from tests.servers import asgi_server, headless_chromium, wait_in_page, webhook_receiver
from tests.storage.test_storage import _result
from web.app import ApiContext, create_app, serving
from workers.logs import JsonLines
from workers.webhooks import callback_target, pinned_post

PERSON = "036215012345"  # accepted in the seeded repository


@dataclass
class Server:
    url: str
    context: ApiContext
    keys: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("hostile") / "data"
    config = replace(
        Config(),
        ocr=OcrConfig(engine="none"),
        storage=StorageConfig(data_dir=str(data)),
        api=ApiConfig(secure_cookies=False),  # https callbacks only, no private addresses
    )
    with serving(config) as context, asgi_server(create_app(context)) as url:
        engine = context.storage.db
        save_result(engine, _result("seeded"), ObjectKeys("o", "s", "r"), "000.00.00.H00", "seed")
        keys = {
            "portal": intake.create_client(engine, "portal", ("submit", "read", "reuse")).api_key,
            "other": intake.create_client(engine, "other-portal", ("submit", "reuse")).api_key,
            "ward": intake.create_client(engine, "ward-b", ("submit", "reuse"), agency="UBND B").api_key,
        }
        review.add_staff(engine, "lan", "mật-khẩu-đủ-dài", "reviewer")
        yield Server(url, context, keys)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (600, 400), "white").save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def dossier(server: Server, who: str, code: str, **extra: str) -> requests.Response:
    fields = {"code": code, "procedure_code": "1.001193", "agency": "UBND A", "channel": "online", **extra}
    files = [("files", ("scan.png", png(), "image/png"))]
    return requests.post(
        f"{server.url}/dossiers", headers=server.headers(who), data=fields, files=files, timeout=30
    )


def documented(response: requests.Response) -> bool:
    return set(response.json()) == {"error", "message", "fix", "problems"}


def reuse_rows(server: Server) -> list[AuditEntry]:
    with Session(server.context.storage.db) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "reuse")).all())


def lookup(server: Server, who: str, code: str) -> requests.Response:
    return requests.get(
        f"{server.url}/persons/{PERSON}",
        params={"dossier_code": code},
        headers=server.headers(who),
        timeout=10,
    )


def reuse_counted(server: Server, code: str) -> bool:
    now = datetime.now(UTC)
    facts = load_facts(server.context.storage.db, Window(now - timedelta(days=1), now + timedelta(days=1)))
    return {d.code: d.reuse_lookup for d in facts.dossiers}[code]


def test_a_lookup_naming_another_systems_dossier_is_refused_and_not_counted(server: Server) -> None:
    assert dossier(server, "portal", "A-FRAUD-1").status_code == 201
    before = len(reuse_rows(server))
    stolen = lookup(server, "other", "A-FRAUD-1")
    assert stolen.status_code == 404 and documented(stolen)
    assert len(reuse_rows(server)) == before  # no audit row: nothing to count
    assert not reuse_counted(server, "A-FRAUD-1")
    # A lookup naming a code before any dossier has it (a portal prefilling its form) is allowed, but the
    # report counts it only for the system that then hands that dossier in.
    assert lookup(server, "other", "A-FRAUD-2").status_code == 200
    assert dossier(server, "portal", "A-FRAUD-2").status_code == 201
    assert not reuse_counted(server, "A-FRAUD-2")
    assert lookup(server, "portal", "A-FRAUD-2").status_code == 200
    assert reuse_counted(server, "A-FRAUD-2")


def test_a_key_bound_to_an_agency_cannot_file_or_count_for_another(server: Server) -> None:
    with Session(server.context.storage.db) as session:
        before = session.query(Dossier).count()
    foreign = dossier(server, "ward", "WARD-A-1")  # the helper names "UBND A"
    assert foreign.status_code == 403 and documented(foreign), foreign.text
    assert "UBND B" in foreign.json()["message"]
    with Session(server.context.storage.db) as session:
        assert session.query(Dossier).count() == before  # refused before anything was written
    own = dossier(server, "ward", "WARD-B-1", agency="ubnd b")
    assert own.status_code == 201, own.text
    assert lookup(server, "ward", "WARD-B-1").status_code == 200 and reuse_counted(server, "WARD-B-1")


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:8443/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://0x7f000001/hook",
        "https://2130706433/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://10.1.2.3/hook",
        "https://user:secret@portal.example/hook",
        "http://portal.example/hook",
        "https://localhost/hook",
        "ftp://portal.example/hook",
    ],
)
def test_callbacks_to_inner_addresses_are_refused_before_anything_is_written(
    server: Server, url: str
) -> None:
    with Session(server.context.storage.db) as session:
        before = session.query(Dossier).count()
    answer = dossier(server, "portal", "SSRF-1", callback_url=url)
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_callback" and documented(answer)
    with Session(server.context.storage.db) as session:
        assert session.query(Dossier).count() == before


def test_the_allow_list_and_every_delivery_check_the_address_again() -> None:
    strict = ApiConfig(callback_hosts=("hooks.portal.gov.vn",))
    with pytest.raises(RequestError, match="not on api.callback_hosts"):
        callback_target("https://attacker.example/x", strict)
    # A host that passed registration and resolves to loopback at delivery time is not connected to.
    config = ApiConfig(allow_http_callbacks=True)
    with webhook_receiver() as (hook, received):
        with pytest.raises(RequestError, match="not public"):
            pinned_post(hook, b"{}", {}, 2.0, config)
        assert received == []
        lab = ApiConfig(allow_http_callbacks=True, allow_private_callbacks=True)
        assert pinned_post(hook, b"{}", {"Content-Type": "application/json"}, 2.0, lab) == 200
        assert len(received) == 1


def test_sign_in_is_throttled_audited_and_says_nothing_about_names(server: Server) -> None:
    url = f"{server.url}/login"
    answers = [
        requests.post(
            url, data={"username": "lan", "password": f"wrong-{i}"}, allow_redirects=False, timeout=10
        )
        for i in range(7)
    ]
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert answers[5].status_code == 429 and int(answers[5].headers["Retry-After"]) >= 1
    right = requests.post(
        url, data={"username": "lan", "password": "mật-khẩu-đủ-dài"}, allow_redirects=False, timeout=10
    )
    assert right.status_code == 429  # locked for now, even with the right password
    with Session(server.context.storage.db) as session:
        failures = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "review.sign_in_failed")
        ).all()
    assert len(failures) >= 5 and {f.entity_id for f in failures} == {"lan"}
    engine = server.context.storage.db

    def refusal_time(name: str) -> float:
        started = time.perf_counter()
        assert review.sign_in(engine, name, "wrong", 1) is None
        return time.perf_counter() - started

    known = statistics.median(refusal_time("lan") for _ in range(5))
    unknown = statistics.median(refusal_time(f"ghost-{i}") for i in range(5))
    assert 0.5 < unknown / known < 2.0, (known, unknown)


def test_a_reviewer_changes_only_what_waits_and_only_in_the_fields_format(server: Server) -> None:
    engine = server.context.storage.db
    saved = save_result(engine, _result("review-me", "Lê Văn Tám"), ObjectKeys("o2", "s2", "r2"), "000", "b")
    with Session(engine) as session:
        rows = {
            r.field: r
            for r in session.scalars(
                select(FieldValueRow).where(FieldValueRow.document_id == saved.document_id)
            )
        }
    staff = review.Staff(1, "lan", "", "reviewer")
    assert rows["registration_number"].status == "accepted"
    rewrite = review.Decision(rows["registration_number"].id, "correct", "46")
    with pytest.raises(PermissionDeniedError, match="already decided"):
        review.apply_decisions(engine, saved.document_id, staff, [rewrite])
    waiting = rows["father_full_name"].id
    with pytest.raises(RequestError):
        review.apply_decisions(
            engine, saved.document_id, staff, [review.Decision(waiting, "correct", " \u200b\u202e ")]
        )
    outcome = review.apply_decisions(
        engine,
        saved.document_id,
        staff,
        [review.Decision(waiting, "correct", "Tra\u0302\u0300n Va\u0306n\u202e Bi\u0300nh\x00")],
    )
    assert outcome.changed == [waiting]
    with Session(engine) as session:
        stored = session.get_one(FieldValueRow, waiting).value
    assert stored == "Trần Văn Bình"  # NFC, no bidi override, no NUL


def test_hostile_names_keys_and_routes_get_documented_refusals_and_no_traceback(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with Session(server.context.storage.db) as session:
        before = session.query(Dossier).count()
    nul = requests.post(
        f"{server.url}/dossiers",
        headers=server.headers("portal"),
        data={"code": "NUL-1", "procedure_code": "1.001193", "agency": "UBND A", "channel": "online"},
        files=[("files", ("scan\x00.png", png(), "image/png"))],
        timeout=30,
    )
    assert nul.status_code in (201, 422), nul.text  # the name is cleaned, or the file refused: never a 500
    if nul.status_code == 422:
        assert documented(nul)
    for key in ("intake/a\x00b.png", "intake/" + "x" * 5000, "intake/" + "a/" * 3000 + "b.png"):
        answer = requests.post(
            f"{server.url}/dossiers",
            headers=server.headers("portal"),
            data={
                "code": "KEY-1",
                "procedure_code": "1.001193",
                "agency": "A",
                "channel": "online",
                "object_keys": key,
            },
            timeout=30,
        )
        assert answer.status_code == 422 and documented(answer), answer.text
    with Session(server.context.storage.db) as session:
        stuck = session.query(Dossier).filter(Dossier.status == "receiving").count()
        assert session.query(Dossier).count() <= before + 1 and stuck == 0
    for response in (
        requests.get(f"{server.url}/no/such/route", timeout=10),
        requests.post(f"{server.url}/health", timeout=10),
        requests.post(
            f"{server.url}/dossiers",
            headers={**server.headers("portal"), "Content-Type": "multipart/form-data; boundary=x"},
            data=b"--x\r\nbroken",
            timeout=10,
        ),
    ):
        assert 400 <= response.status_code < 500 and documented(response), response.text
    logged = "\n".join(JsonLines().format(r) for r in caplog.records)
    assert "Traceback" not in caplog.text and "Traceback" not in logged and "scan\x00" not in logged


def test_every_answer_carries_the_security_headers(server: Server) -> None:
    for path in ("/health", "/login", "/review", "/no/such/route", "/openapi.json", "/docs"):
        answer = requests.get(f"{server.url}{path}", allow_redirects=False, timeout=10)
        headers = answer.headers
        assert (
            "frame-ancestors 'none'" in headers["Content-Security-Policy"]
            and "unsafe-inline" not in headers["Content-Security-Policy"]
        ), path
        assert (
            headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
        ), path
        assert headers["Cache-Control"] == "no-store" and headers["X-Frame-Options"] == "DENY", path
    docs = requests.get(f"{server.url}/docs", timeout=10).text
    assert '<script src="/static/api-docs.js"' in docs and "http" not in docs.split("<body>")[0]
    assert "/redoc" not in requests.get(f"{server.url}/openapi.json", timeout=10).text
    assert requests.get(f"{server.url}/redoc", timeout=10).status_code == 404  # FastAPI's CDN page
    script = requests.get(f"{server.url}/static/review.js", timeout=10)
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    login = requests.get(f"{server.url}/login", timeout=10).text
    assert "<script>" not in login and "style=" not in login


def test_the_api_docs_render_in_chromium_under_the_strict_policy(server: Server, tmp_path: Path) -> None:
    operations = sum(
        len(m) for m in requests.get(f"{server.url}/openapi.json", timeout=10).json()["paths"].values()
    )
    with headless_chromium(tmp_path) as browser:
        page = browser.new_page()
        refused: list[str] = []  # console errors: a script or style the CSP blocked, a failed script
        missing: list[str] = []
        page.on(
            "console", lambda m: refused.append(m.text) if m.type == "error" and "404" not in m.text else None
        )
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        page.goto(f"{server.url}/docs")
        wait_in_page(page, f"document.querySelectorAll('main section').length === {operations}")
        text = page.inner_text("main")
    assert (
        "POST/dossiers" in text.replace(" ", "").replace("\n", "")
        and "Idempotency-Key".lower() in text.lower()
    )
    assert refused == []  # no script or style refused by the Content-Security-Policy
    assert [url for url in missing if not url.endswith("/favicon.ico")] == []


def test_text_from_pages_and_people_is_plain() -> None:
    assert plain_text("Nguye\u0302\u0303n\u200b \u202eVa\u0306n\x00  A") == "Nguyễn Văn A"
    assert plain_text("\ufeff\u2066x\u2069") == "x"


def test_an_anonymous_review_post_is_refused_before_its_body_is_read(server: Server) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            b"POST /review/documents/1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 49000000\r\n\r\n{"  # 49 MB announced, one byte sent: a reader would wait
        )
        conn.settimeout(5)
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 303") and b"location: /login" in answer.lower()


@pytest.mark.parametrize("authorization", [b"", b"Authorization: Bearer sohoa_0000_forged\r\n"])
def test_an_upload_without_a_live_key_is_refused_before_its_body_is_read(
    server: Server, authorization: bytes
) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            b"POST /dossiers HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            + authorization
            + b"Content-Length: 49000000\r\n\r\n--b"  # 49 MB announced, 3 bytes sent
        )
        conn.settimeout(5)
        answer = b""
        while b'"problems"' not in answer and (chunk := conn.recv(4096)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 401") and b"www-authenticate: bearer" in answer.lower()
    assert b'"error":"unauthorized"' in answer


def test_a_locked_account_stays_locked_until_a_supervisor_lifts_it(server: Server) -> None:
    engine = server.context.storage.db
    review.add_staff(engine, "minh", "một-mật-khẩu-dài", "reviewer")
    assert review.set_locked(engine, "minh", True, "sign-in throttle")
    assert review.sign_in(engine, "minh", "một-mật-khẩu-dài", 1) is None  # the right password, refused
    assert review.set_locked(engine, "minh", False, "supervisor") and not review.set_locked(
        engine, "minh", False, "x"
    )
    assert review.sign_in(engine, "minh", "một-mật-khẩu-dài", 1) is not None
    with Session(engine) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == "minh")).all()
    assert {"review.account_locked", "review.account_unlocked"} <= set(actions)


def test_sign_in_over_plain_http_on_a_lan_says_why_instead_of_looping(tmp_path: Path) -> None:
    """Secure cookies (the default) over http://192.168.…: the browser would drop the session and send the
    clerk back to the sign-in page for ever; the page says so, and a sign-in makes no session."""
    config = replace(
        Config(), ocr=OcrConfig(engine="none"), storage=StorageConfig(data_dir=str(tmp_path / "data"))
    )
    with serving(config) as context, asgi_server(create_app(context)) as url:
        review.add_staff(context.storage.db, "lan", "mật-khẩu-đủ-dài", "reviewer")
        lan = {"Host": "192.168.1.20:8080"}
        page = requests.get(f"{url}/login", headers=lan, timeout=10)
        assert page.status_code == 200 and "secure_cookies" in page.text and "HTTPS" in page.text
        form = {"username": "lan", "password": "mật-khẩu-đủ-dài"}
        refused = requests.post(f"{url}/login", data=form, headers=lan, allow_redirects=False, timeout=10)
        assert refused.status_code == 400 and "sohoa_session" not in refused.headers.get("set-cookie", "")
        local = requests.post(f"{url}/login", data=form, allow_redirects=False, timeout=10)  # 127.0.0.1
        assert local.status_code == 303 and "sohoa_session" in local.headers["set-cookie"]
        assert "secure_cookies" not in requests.get(f"{url}/login", timeout=10).text
