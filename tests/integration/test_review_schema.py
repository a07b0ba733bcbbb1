"""Schemathesis over the review station's routes, signed in, over real HTTP: no 5xx, and every refusal in a
documented shape ({error, message, fix, problems}; the sign-in page answers its own HTML).

The station's routes are left out of the public OpenAPI document (they are not an API for intake systems),
so the test builds a schema of them from the same FastAPI routes.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import requests
import schemathesis
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from PIL import Image

from digitize.config import ApiConfig, Config, OcrConfig, StorageConfig
from signing.signers import build_signer
from storage.repository import review
from storage.repository.store import ObjectKeys, save_result
from tests.servers import asgi_server
from tests.storage.test_storage import _result
from web.app import create_app, serving

DOCUMENTED = {"error", "message", "fix", "problems"}


@dataclass
class Station:
    url: str
    schema: dict[str, Any]
    cookie: str


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    data: Path = tmp_path_factory.mktemp("review-schema") / "data"
    config = replace(
        Config(),
        storage=StorageConfig(data_dir=str(data)),
        ocr=OcrConfig(engine="none"),
        api=ApiConfig(secure_cookies=False),
    )
    with serving(config) as context:
        app = create_app(context)
        with asgi_server(app) as url:
            engine = context.storage.db
            signer = build_signer(config.signing, data)
            context.storage.store.put("seed/signed.pdf", signer.sign(_blank_pdf())[0])
            save_result(engine, _result("seeded"), ObjectKeys("o", "seed/signed.pdf", "r"), "UBND A", "seed")
            review.add_staff(engine, "hoa", "giám-sát-đủ-dài", "supervisor")
            signed = requests.post(
                f"{url}/login",
                data={"username": "hoa", "password": "giám-sát-đủ-dài"},
                allow_redirects=False,
                timeout=10,
            )
            assert signed.status_code == 303
            yield Station(url, _station_schema(app.routes), signed.cookies["sohoa_session"])


def _blank_pdf() -> bytes:
    """One A4 page with an image on it, standing in for an archival copy."""
    out = io.BytesIO()
    Image.new("L", (620, 877), "white").save(out, format="PDF", resolution=75.0)
    clean = io.BytesIO()
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:  # Pillow's cross-reference table, rewritten
        pdf.save(clean)
    return clean.getvalue()


def _station_schema(routes: list[Any]) -> dict[str, Any]:
    """The OpenAPI document of the station's own routes (all but logout, which would end the session)."""
    chosen = []
    for route in routes:
        if isinstance(route, APIRoute) and not route.include_in_schema and route.path != "/logout":
            shown = copy.copy(route)
            shown.include_in_schema = True
            chosen.append(shown)
    return get_openapi(title="review station", version="1", routes=chosen)


def test_the_review_station_refuses_in_documented_shapes_and_never_fails(station: Station) -> None:
    schema = schemathesis.openapi.from_dict(station.schema)
    schema.config.update(base_url=station.url)
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {f"{o.method.upper()} {o.path}" for o in operations}
    assert "POST /review/documents/{document_id}/decisions" in paths and len(paths) >= 7, paths
    headers = {"Cookie": f"sohoa_session={station.cookie}", "X-Sohoa-Review": "1"}
    for operation in operations:
        _fuzz(operation, headers)


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        response = case.call(headers=headers, allow_redirects=False)
        where = f"{case.method} {case.formatted_path}"
        assert response.status_code < 500, (where, response.text[:300])
        if response.status_code < 400:
            return
        if response.headers.get("content-type", [""])[0].startswith("application/json"):
            assert set(response.json()) == DOCUMENTED, (where, response.text[:300])
        else:  # only the sign-in page answers a refusal with a page of its own
            assert case.path == "/login", (where, response.status_code, response.text[:300])

    check()
