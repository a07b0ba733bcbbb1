"""The HTTP edge's one mapping of errors to responses: status, code and headers come from the error tree.

Every error body has the documented shape `{error, message, fix, problems}` (`web.schema.ErrorBody`).
A review-station request without a session is answered by a redirect to the sign-in page instead.
Unexpected exceptions are bugs: only their class is logged (their text may hold personal data).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from digitize.errors import RateLimitedError, RequestError, SignInRequired, SohoaError

log = logging.getLogger("sohoa.api")


def error_body(
    error: SohoaError, problems: list[dict[str, str]] | None = None, say: Callable[[str], str] = str
) -> dict[str, Any]:
    """The documented body; `say` puts message and fix in the reader's language (the station's clerks)."""
    message = f"{error.source}: {error.message}" if error.source else error.message
    return {"error": error.code, "message": say(message), "fix": say(error.fix), "problems": problems or []}


def as_tree_error(exc: Exception) -> tuple[SohoaError, list[dict[str, str]]]:
    """Any exception a request can raise, as a member of the tree (with schema problems, if any)."""
    if isinstance(exc, SohoaError):
        return exc, []
    if isinstance(exc, RequestValidationError):
        problems = [
            {"where": ".".join(str(p) for p in e["loc"]), "message": str(e["msg"])} for e in exc.errors()
        ]
        return RequestError(
            "the request does not match the schema", fix="correct the fields named in problems"
        ), problems
    if isinstance(exc, HTTPException) and exc.status_code < 500:  # routing: unknown path, wrong method
        error = RequestError(str(exc.detail), fix="check the method and path against /openapi.json")
        error.http_status, error.code = (
            exc.status_code,
            "not_found" if exc.status_code == 404 else "invalid_request",
        )
        return error, []
    log.error("unexpected %s while answering a request", exc.__class__.__name__)
    return SohoaError("unexpected error", fix="report it to the operators"), []


def error_response(exc: Exception, say: Callable[[str], str] = str) -> Response:
    """The one mapping: a redirect to sign in, or the error's status, code and JSON body."""
    if isinstance(exc, SignInRequired):
        return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)
    error, problems = as_tree_error(exc)
    headers: dict[str, str] = {}
    if isinstance(error, RateLimitedError):
        headers["Retry-After"] = str(error.retry_after)
    if error.http_status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(error_body(error, problems, say), status_code=error.http_status, headers=headers)
