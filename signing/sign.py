"""Placeholder replaced below."""
from __future__ import annotations
from typing import Protocol
from digitize.model import SignatureSummary
class DocumentSigner(Protocol):
    def sign(self, pdf: bytes) -> tuple[bytes, SignatureSummary]: ...
