"""A flaw in reading a form costs its fields, never the document's archival copy."""

from __future__ import annotations

import pytest

from digitize import pipeline
from digitize.config import Config
from digitize.engines.placeholder import PlaceholderEngine
from digitize.model import SourceDocument
from tests.conftest import SAMPLES


def test_an_extraction_failure_keeps_the_copy_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> list[object]:
        raise ValueError("invalid literal for int() with base 10: '25/0'")

    monkeypatch.setattr(pipeline, "extract_records", broken)
    source = SourceDocument("letter.pdf", (SAMPLES / "admin_letter_2pages.pdf").read_bytes())
    result = pipeline.digitize_document(source, Config(), PlaceholderEngine(), None)
    assert result.pdf.startswith(b"%PDF") and len(result.pages) == 2 and result.records == ()
    assert any("field extraction failed (ValueError)" in e for e in result.errors)
