"""API keys of intake systems: the dependency every route but /health puts in front of itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from digitize.errors import AuthenticationError, PermissionDeniedError, RateLimitedError
from storage.repository import intake
from storage.repository.intake import ClientView
from web.context import ApiContext
from web.schema import ErrorBody

_bearer = HTTPBearer(auto_error=False, description="API key of the intake system: `Bearer sohoa_…`")

#: The refusals every authenticated route may answer with (for the OpenAPI document).
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text_}
    for status, text_ in (
        (401, "no valid API key"),
        (403, "the key lacks the scope"),
        (422, "the request or a document in it is invalid"),
        (429, "rate limit reached; see Retry-After"),
    )
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "not found"}}


def require(context: ApiContext, scope: str) -> Callable[..., ClientView]:
    """A dependency: the calling intake system, if its key is valid, has the scope and is within its rate."""

    def dependency(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> ClientView:
        client = intake.authenticate(context.storage.db, credentials.credentials) if credentials else None
        if client is None:
            raise AuthenticationError(
                "missing, unknown or revoked API key", fix="send Authorization: Bearer <key>"
            )
        request.state.client_name = client.name
        if scope not in client.scopes:
            raise PermissionDeniedError(
                f"this key lacks the {scope!r} scope", fix="ask for a key with that scope"
            )
        wait = context.limiter.take(client.id, client.rate_per_minute or context.config.api.rate_per_minute)
        if wait:
            raise RateLimitedError("too many requests for this key", retry_after=int(wait) + 1)
        return client

    return dependency
