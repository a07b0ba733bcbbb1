"""The interfaces the core calls and the services implement: OCR engine, signer, object store.

They live in the core so that the pipeline and the jobs depend on these protocols, not on `signing/` or
`storage/`: imports run one way (core ← services ← queue ← web / CLI).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from digitize.model import ImageArray, OcrWord, SignatureSummary


class OcrEngine(Protocol):
    @property
    def name(self) -> str: ...

    def read_words(
        self, gray: ImageArray, dpi: float, psm: int | None = None, language: str | None = None
    ) -> list[OcrWord]:
        """The words of a grey image; `language` reads with another model than the engine's own (the
        figures model: `OcrConfig.figures_language`)."""
        ...

    def detect_rotation(self, gray: ImageArray) -> tuple[int, float] | None:
        """Clockwise degrees (0/90/180/270) that make the page upright, with the engine's confidence."""
        ...


class DocumentSigner(Protocol):
    def sign(self, pdf: bytes) -> tuple[bytes, SignatureSummary]: ...


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int
    metadata: dict[str, str]


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> StoredObject: ...

    def get(self, key: str) -> bytes: ...

    def head(self, key: str) -> StoredObject | None: ...

    def delete(self, key: str) -> None: ...
