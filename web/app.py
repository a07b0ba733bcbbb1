"""The HTTP edge (`digitize serve`): the intake API and the review station in one FastAPI app.

Every route but /health needs an intake system's API key (`Authorization: Bearer sohoa_…`) with the
route's scope (`web.auth`); the review station needs a staff session (`web.review`). Errors are mapped to
responses once, in `web.errors.error_response`, from the exception tree's own statuses and codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import text
from starlette.exceptions import HTTPException

from digitize.config import Config
from digitize.errors import SohoaError
from digitize.executor import tune_process
from storage.repository import intake
from web import api_docs
from web.auth import AUTH_ERRORS, require
from web.context import ApiContext
from web.dossiers import add_dossier_routes
from web.errors import error_response
from web.guard import AccessLog, BodyLimit, CatchAll, KeyGate, RateLimiter, ReviewGate, SecurityHeaders
from web.persons import add_person_routes
from web.reasons import vietnamese
from web.reports import add_report_routes
from web.review import add_review_routes, session_in_cookies
from web.schema import Health
from workers.batches import work_on_item
from workers.jobs import build_services, open_storage
from workers.queue import JobQueue, RqQueue, ThreadQueue
from workers.tasks import worker_identity
from workers.webhooks import Dispatcher


def create_app(context: ApiContext) -> FastAPI:
    app = FastAPI(
        title="số hóa intake API",
        version="1",
        description="Dossiers in; status, fields, signed e-copies and reuse lookups out.",
        docs_url=None,  # FastAPI's pages load scripts from a public CDN; ours (/docs) is in the package
        redoc_url=None,
    )

    async def handle(request: Request, exc: Exception) -> Response:
        station = request.url.path.startswith("/review")  # its clerks read Vietnamese
        return error_response(exc, vietnamese if station else str)

    for exc_type in (HTTPException, RequestValidationError, SohoaError):
        app.add_exception_handler(exc_type, handle)
    app.add_middleware(CatchAll)  # innermost: anything else is answered here, without a traceback
    app.add_middleware(BodyLimit, max_bytes=context.config.api.max_upload_bytes)
    app.add_middleware(  # before the upload cap: review calls without a session are refused unread
        ReviewGate,
        has_session=session_in_cookies(context.storage.db, context.config.api.session_idle_minutes),
    )
    app.add_middleware(  # the same for uploads without a live API key
        KeyGate, key_is_live=lambda key: intake.authenticate(context.storage.db, key) is not None
    )
    app.add_middleware(AccessLog)
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, refusals included
    _operation_routes(app, context)
    add_dossier_routes(app, context)
    add_person_routes(app, context)
    add_report_routes(app, context)
    add_review_routes(app, context)
    return app


def _operation_routes(app: FastAPI, context: ApiContext) -> None:
    reader = require(context, "read")

    @app.get("/health", response_model=Health, responses={503: {"model": Health}}, tags=["operations"])
    def health() -> JSONResponse:
        state = _health(context)
        return JSONResponse(state.model_dump(), status_code=200 if state.status == "ok" else 503)

    @app.get(
        "/metrics",
        response_class=Response,
        responses={**AUTH_ERRORS, 200: {"content": {"text/plain": {}}, "description": "Prometheus text"}},
        tags=["operations"],
        dependencies=[Depends(reader)],
    )
    def metrics() -> Response:
        return Response(_metrics(context), media_type="text/plain; version=0.0.4")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> str:
        return api_docs.page()


def _health(context: ApiContext) -> Health:
    try:
        with context.storage.db.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = True
    except Exception:
        database = False
    queue = _queue_depth(context) is not None
    return Health(status="ok" if database and queue else "unavailable", database=database, queue=queue)


def _queue_depth(context: ApiContext) -> int | None:
    depth = getattr(context.queue, "depth", None)
    try:
        return int(depth()) if depth else 0
    except Exception:
        return None


def _metrics(context: ApiContext) -> str:
    counts = intake.counters(context.storage.db)
    gauges = [
        ("sohoa_queue_depth", "Items waiting on the queue.", [("", str(_queue_depth(context) or 0))]),
        (
            "sohoa_items",
            "Work items by status.",
            [(f'status="{s}"', str(n)) for s, n in sorted(counts.items.items())],
        ),
        (
            "sohoa_pages_per_minute",
            "Pages finished per minute over the last 15 minutes.",
            [("", f"{counts.pages_last_15_min / 15:.3f}")],
        ),
        ("sohoa_failures", "Items that failed for good.", [("", str(counts.items.get("failed", 0)))]),
        (
            "sohoa_review_backlog",
            "Documents waiting for a person to review fields.",
            [("", str(counts.review_backlog))],
        ),
        (
            "sohoa_webhook_deliveries",
            "Webhook deliveries by status.",
            [(f'status="{s}"', str(n)) for s, n in sorted(counts.deliveries.items())],
        ),
    ]
    lines: list[str] = []
    for name, help_text, samples in gauges:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
        lines += [f"{name}{{{labels}}} {value}" if labels else f"{name} {value}" for labels, value in samples]
    return "\n".join(lines) + "\n"


@contextmanager
def serving(config: Config) -> Iterator[ApiContext]:
    """Storage, queue and webhook dispatcher for the API's lifetime, closed in order afterwards."""
    storage = open_storage(config)
    queue, close_queue = _queue(config)
    dispatcher = Dispatcher(storage.db, config.api, worker_identity()).start()
    try:
        yield ApiContext(config, storage, queue, RateLimiter())
    finally:
        dispatcher.stop()
        close_queue()
        storage.close()


def _queue(config: Config) -> tuple[JobQueue, Callable[[], None]]:
    """RQ when configured; otherwise a thread of this process runs the same jobs (embedded default)."""
    if config.queue.redis_url:
        return RqQueue(config.queue), lambda: None
    tune_process()
    services = build_services(config)
    owner = worker_identity()
    holder: list[ThreadQueue] = []
    queue = ThreadQueue(lambda item: work_on_item(services, holder[0], item, owner))
    holder.append(queue)

    def close() -> None:
        queue.close()
        services.close()

    return queue, close
