"""The API's reference page (`/docs`), served from files inside the package: FastAPI's own docs pages load
their scripts from a public CDN, which an office network without internet cannot reach and which the
station's CSP (`script-src 'self'`) forbids. The page renders `/openapi.json` with a small script of ours."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

PAGE = "api-docs.html"
_ASSETS = {
    "/static/api-docs.js": ("api-docs.js", "text/javascript; charset=utf-8"),
    "/static/api-docs.css": ("api-docs.css", "text/css; charset=utf-8"),
}


@lru_cache(maxsize=8)
def read_asset(name: str) -> str:
    return (resources.files("web") / "assets" / name).read_text(encoding="utf-8")


def page() -> str:
    return read_asset(PAGE)


def static_asset(url: str) -> tuple[str, str] | None:
    """(content, media type) of the docs page's script or style sheet; None for any other address."""
    found = _ASSETS.get(url)
    return (read_asset(found[0]), found[1]) if found else None
