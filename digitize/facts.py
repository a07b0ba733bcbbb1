"""The facts the indicator reports are computed from: plain data, read from the repository by
`storage.repository.reports.load_facts` and turned into figures by `digitize.indicators`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC; agency None means every agency."""

    start: datetime
    end: datetime
    agency: str | None = None


@dataclass(frozen=True)
class ItemFact:
    """One document of a dossier: its role, and when (if ever, by the end) its signed copy was made."""

    role: str  # component, result
    signed_at: datetime | None
    digitized_before: bool  # the document was already in the repository when the dossier came in


@dataclass(frozen=True)
class DossierFact:
    id: str
    code: str
    agency: str
    received_at: datetime
    items: tuple[ItemFact, ...]
    reuse_lookup: bool  # the intake system took accepted data from the repository for this dossier


@dataclass(frozen=True)
class DocumentFact:
    """A digitized document: its agency, when it was saved, its pages and its current status."""

    agency: str
    saved_at: datetime
    pages: int
    status: str  # done, needs_review


@dataclass(frozen=True)
class FailureFact:
    agency: str
    failed_at: datetime
    reason: str


@dataclass(frozen=True)
class WaitFact:
    """A work item between queueing and finishing (for the backlog over time)."""

    agency: str
    queued_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class Facts:
    window: Window
    dossiers: list[DossierFact]
    documents: list[DocumentFact]
    failures: list[FailureFact]
    waits: list[WaitFact]
