"""Reuse: accepted data and signed copies about a citizen, by personal ID (scope `reuse`), audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Response

from digitize.errors import NotFoundError
from storage.repository import intake
from storage.repository.intake import ClientView
from storage.repository.store import find_person
from web.auth import AUTH_ERRORS, NOT_FOUND, require
from web.context import ApiContext
from web.dossiers import MAX_ID, PDF
from web.schema import DOSSIER_CODE, PERSONAL_ID, PersonDocument, PersonDocuments, PersonOut


def add_person_routes(app: FastAPI, context: ApiContext) -> None:
    reuser = Depends(require(context, "reuse"))

    @app.get(
        "/persons/{personal_id}",
        response_model=PersonOut,
        responses={**AUTH_ERRORS, **NOT_FOUND},
        tags=["reuse"],
    )
    def get_person(
        personal_id: Annotated[str, Path(pattern=PERSONAL_ID)],
        client: ClientView = reuser,
        dossier_code: Annotated[
            str | None, Query(pattern=DOSSIER_CODE, description="dossier reusing it")
        ] = None,
    ) -> PersonOut:
        data, documents = _person(context, personal_id, client, dossier_code)
        return PersonOut(personal_id=personal_id, data=data, documents=documents)

    @app.get(
        "/persons/{personal_id}/documents",
        response_model=PersonDocuments,
        responses={**AUTH_ERRORS, **NOT_FOUND},
        tags=["reuse"],
    )
    def get_person_documents(
        personal_id: Annotated[str, Path(pattern=PERSONAL_ID)],
        client: ClientView = reuser,
        dossier_code: Annotated[str | None, Query(pattern=DOSSIER_CODE)] = None,
    ) -> PersonDocuments:
        _, documents = _person(context, personal_id, client, dossier_code)
        return PersonDocuments(personal_id=personal_id, documents=documents)

    @app.get(
        "/persons/{personal_id}/documents/{document_id}/pdf",
        response_class=Response,
        responses={**AUTH_ERRORS, **NOT_FOUND, **PDF},
        tags=["reuse"],
    )
    def get_person_copy(
        personal_id: Annotated[str, Path(pattern=PERSONAL_ID)],
        document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        client: ClientView = reuser,
        dossier_code: Annotated[str | None, Query(pattern=DOSSIER_CODE)] = None,
    ) -> Response:
        _check_dossier(context, client, dossier_code)
        view = find_person(context.storage.db, personal_id=personal_id)
        doc = next((d for d in (view.documents if view else []) if d["id"] == document_id), None)
        if doc is None or not doc["signed_key"]:
            raise NotFoundError("no such document about this person", fix="list /persons/{id}/documents")
        intake.audit(
            context.storage.db,
            client.name,
            "reuse",
            "document",
            str(document_id),
            personal_id=personal_id,
            dossier_code=dossier_code,
        )
        return Response(context.storage.store.get(doc["signed_key"]), media_type="application/pdf")


def _check_dossier(context: ApiContext, client: ClientView, dossier_code: str | None) -> None:
    """A lookup made for a dossier counts towards that dossier's reuse (Decision 766, 4.3), and only
    when made by the intake system that handed the dossier in: another one's dossier is as absent as none
    (and the report counts only the owner's lookups, so naming a code before it exists moves nothing)."""
    if dossier_code and intake.dossier_code_of_another(context.storage.db, client.id, dossier_code):
        raise NotFoundError(
            f"no dossier {dossier_code} for this key", fix="name a dossier this system handed in"
        )


def _person(
    context: ApiContext, personal_id: str, client: ClientView, dossier_code: str | None
) -> tuple[dict[str, str], list[PersonDocument]]:
    _check_dossier(context, client, dossier_code)
    view = find_person(context.storage.db, personal_id=personal_id)
    intake.audit(
        context.storage.db,
        client.name,
        "reuse",
        "person",
        personal_id,
        found=view is not None,
        dossier_code=dossier_code,
    )
    if view is None:
        raise NotFoundError("no accepted data for this personal ID", fix="digitize the citizen's papers")
    documents = [
        PersonDocument(
            id=d["id"],
            type=d["type"],
            source=d["source"],
            pdf_url=f"/persons/{personal_id}/documents/{d['id']}/pdf" if d["signed_key"] else None,
        )
        for d in view.documents
    ]
    return view.accepted, documents
