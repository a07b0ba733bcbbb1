"""Routes of the keying mode (`web.keying_page`): the grid page, rows added and deleted, place completion,
the page's signed copy. Behind the same sign-in as the review station; changes need its header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import Engine

from digitize.errors import NotFoundError
from digitize.extract.places import complete_place
from storage.repository import keying, passes, review
from web import keying_page
from web.station import document_or_missing, from_station, next_document

MAX_ID = 2**31 - 1
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID)]


def add_keying_routes(
    app: FastAPI,
    engine: Engine,
    store_get: Callable[[str], bytes],
    staff_of: Callable[[Request], review.Staff],
    warm: Callable[[int], None],
) -> None:
    signed_in = Depends(staff_of)

    @app.get("/review/documents/{document_id}/key", response_class=HTMLResponse, include_in_schema=False)
    def key_page(*, who: review.Staff = signed_in, document_id: DocumentId) -> str:
        page = keying_page.keying(who, document_or_missing(engine, document_id))
        warm(document_id)  # the page image is rendered while the browser loads the page
        return page

    @app.post("/review/documents/{document_id}/rows", include_in_schema=False)
    def add_row(*, who: review.Staff = signed_in, request: Request, document_id: DocumentId) -> JSONResponse:
        from_station(request)
        return JSONResponse({"record": keying.add_row(engine, document_id, who)})

    @app.post("/review/documents/{document_id}/rows/{record}/delete", include_in_schema=False)
    def delete_row(
        *,
        who: review.Staff = signed_in,
        request: Request,
        document_id: DocumentId,
        record: Annotated[int, Path(ge=0, le=100_000)],
    ) -> JSONResponse:
        from_station(request)
        left = keying.delete_row(engine, document_id, who, record)
        return JSONResponse({"remaining": left})

    @app.post("/review/documents/{document_id}/postpone", include_in_schema=False)
    def postpone(*, who: review.Staff = signed_in, request: Request, document_id: DocumentId) -> JSONResponse:
        from_station(request)
        review.postpone(engine, document_id, who)
        return JSONResponse({"next": next_document(engine, who.username, document_id)})

    @app.get("/review/figures", response_class=HTMLResponse, include_in_schema=False)
    def figures(
        *, who: review.Staff = signed_in, batch: Annotated[str | None, Query(max_length=200)] = None
    ) -> str:
        return keying_page.figures(who, passes.keying_figures(engine, batch or None), batch or "")

    @app.get("/review/complete", include_in_schema=False)
    def complete(
        *, _who: review.Staff = signed_in, q: Annotated[str, Query(max_length=100)] = ""
    ) -> JSONResponse:
        return JSONResponse(complete_place(q))

    @app.get("/review/documents/{document_id}/signed.pdf", include_in_schema=False)
    def signed_copy(*, _who: review.Staff = signed_in, document_id: DocumentId) -> Response:
        source = review.page_source(engine, document_id)
        if source is None or not source.signed_key:
            raise NotFoundError(f"no signed copy of document {document_id}", fix="go back to the queue")
        disposition = f'inline; filename="document-{document_id}.pdf"'
        headers = {"Content-Disposition": disposition}
        return Response(store_get(source.signed_key), media_type="application/pdf", headers=headers)
