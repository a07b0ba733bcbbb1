"""What every review-station route asks the same way: that a change comes from the station's own pages,
the document it names, and the document a clerk goes on to."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine

from digitize.errors import NotFoundError, PermissionDeniedError
from storage.repository import review


def from_station(request: Request) -> None:
    """Changes carry the `X-Sohoa-Review` header, which a cross-site form cannot send."""
    if request.headers.get("X-Sohoa-Review") != "1":
        raise PermissionDeniedError("changes come from the review page only", fix="reload the page")


def document_or_missing(engine: Engine, document_id: int) -> review.ReviewDocument:
    doc = review.review_document(engine, document_id)
    if doc is None:
        raise NotFoundError(f"no document {document_id}", fix="go back to the queue")
    return doc


def next_document(engine: Engine, clerk: str, document_id: int) -> str:
    """The page of the first document in this clerk's queue other than this one, or the queue itself."""
    ahead = [
        e.document_id
        for e in review.review_queue(engine, limit=2, staff=clerk)
        if e.document_id != document_id
    ]
    return f"/review/documents/{ahead[0]}" if ahead else "/review"
