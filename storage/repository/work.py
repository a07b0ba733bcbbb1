"""Work items in the repository: the durable record of what a batch holds and how far it got.

Every state change is one conditional UPDATE (compare-and-set), so two workers can never both own an
item, a worker whose lease was taken over cannot overwrite the new owner's result, and a page is marked
done exactly once. Redis only carries the ids of items to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.repository.models import TERMINAL, Event, Volume, WorkItem
from storage.repository.outbox import record_item_finished


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything stored here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class NewItem:
    batch: str
    agency: str
    source_name: str
    original_key: str
    sha256: str
    volume_key: str | None = None
    page_number: int | None = None
    dossier_id: str | None = None
    role: str = "component"


@dataclass(frozen=True)
class Claim:
    """An item owned by one worker for one attempt; every later update names both."""

    item_id: int
    owner: str
    attempt: int
    batch: str
    source_name: str
    original_key: str
    sha256: str
    volume_key: str | None


def add_item(engine: Engine, new: NewItem) -> tuple[int, bool]:
    """(item id, created); an original already in the batch returns the existing item."""
    with Session(engine) as session:
        found = _find(session, new.batch, new.sha256)
        if found is not None:
            return found, False
        session.add(WorkItem(**new.__dict__, status="queued", attempts=0, error=""))
        try:
            session.commit()
        except IntegrityError:  # a concurrent submit of the same original won
            session.rollback()
            again = _find(session, new.batch, new.sha256)
            if again is None:
                raise
            return again, False
        return _find(session, new.batch, new.sha256) or 0, True


def _find(session: Session, batch: str, sha256: str) -> int | None:
    return session.scalar(select(WorkItem.id).where(WorkItem.batch == batch, WorkItem.sha256 == sha256))


def set_job(engine: Engine, item_id: int, job_id: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(WorkItem).where(WorkItem.id == item_id).values(job_id=job_id))


def claim(engine: Engine, item_id: int, owner: str, lease_s: float) -> Claim | None:
    """Take the item if it is queued, its lease ran out, or this owner held it (its attempt ended without
    recording an outcome, e.g. the database was away: a worker runs one job at a time, so asking again
    means the earlier attempt is over); None when it is done or owned by another live worker."""
    moment = now()
    with Session(engine) as session, session.begin():
        claimable = or_(
            WorkItem.status == "queued",
            (WorkItem.status == "processing")
            & or_(WorkItem.lease_until < moment, WorkItem.lease_owner == owner),
        )
        taken = session.execute(
            update(WorkItem)
            .where(WorkItem.id == item_id, claimable)
            .values(
                status="processing",
                attempts=WorkItem.attempts + 1,
                lease_owner=owner,
                lease_until=moment + timedelta(seconds=lease_s),
                started_at=moment,
            )
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        item = session.get_one(WorkItem, item_id)
        return Claim(
            item_id,
            owner,
            item.attempts,
            item.batch,
            item.source_name,
            item.original_key,
            item.sha256,
            item.volume_key,
        )


def _owned(claim_: Claim) -> ColumnElement[bool]:
    return and_(
        WorkItem.id == claim_.item_id,
        WorkItem.status == "processing",
        WorkItem.lease_owner == claim_.owner,
        WorkItem.attempts == claim_.attempt,
    )


def renew(engine: Engine, claim_: Claim, lease_s: float) -> bool:
    """Extend the lease; False when the item is no longer this worker's."""
    with Session(engine) as session, session.begin():
        result = session.execute(
            update(WorkItem).where(_owned(claim_)).values(lease_until=now() + timedelta(seconds=lease_s))
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def finish(
    engine: Engine,
    claim_: Claim,
    status: str,
    *,
    document_id: int | None = None,
    pipeline_ms: float | None = None,
    error: str = "",
    reason: str | None = None,
) -> bool:
    """Record the outcome of the claimed attempt; False (nothing written) when the claim was lost.

    `reason` is the failure's message alone (no file name, no fix): failures are counted by it.
    """
    values: dict[str, object] = {
        "status": status,
        "error": error,
        "failure_reason": reason if status == "failed" else None,
        "lease_until": None,
    }
    if status in TERMINAL:
        values |= {"finished_at": now(), "document_id": document_id, "pipeline_ms": pipeline_ms}
    with Session(engine) as session, session.begin():
        result = session.execute(update(WorkItem).where(_owned(claim_)).values(**values))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        if status in TERMINAL:
            record_item_finished(session, claim_.item_id)
        return True


def requeue_expired(engine: Engine) -> list[tuple[int, str]]:
    """Items whose worker stopped renewing its lease (killed, machine lost), put back to queued: (item,
    the queue job id of the lost attempt)."""
    moment = now()
    requeued = []
    with Session(engine) as session:
        stale = session.execute(
            select(WorkItem.id, WorkItem.job_id).where(
                WorkItem.status == "processing", WorkItem.lease_until < moment
            )
        ).all()
    for item_id, job_id in stale:
        with Session(engine) as session, session.begin():
            result = session.execute(
                update(WorkItem)
                .where(WorkItem.id == item_id, WorkItem.status == "processing", WorkItem.lease_until < moment)
                .values(status="queued", lease_owner=None, error="worker lost (lease expired); queued again")
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                requeued.append((int(item_id), str(job_id or "")))
    return requeued


def queued_jobs(engine: Engine, older_than_s: float) -> list[tuple[int, str]]:
    """(item, its queue job id) of items queued for longer than that: the reconciler compares them with
    what the queue still holds (after Redis lost its data, nothing)."""
    with Session(engine) as session:
        rows = session.execute(
            select(WorkItem.id, WorkItem.job_id).where(
                WorkItem.status == "queued", WorkItem.queued_at < now() - timedelta(seconds=older_than_s)
            )
        ).all()
    return [(int(i), str(job or "")) for i, job in rows]


def reset_failed(engine: Engine, batch: str) -> list[int]:
    """Failed items of a batch back to queued with a fresh attempt budget (for `digitize retry`)."""
    with Session(engine) as session, session.begin():
        ids = list(
            session.scalars(select(WorkItem.id).where(WorkItem.batch == batch, WorkItem.status == "failed"))
        )
        if ids:
            session.execute(
                update(WorkItem)
                .where(WorkItem.id.in_(ids), WorkItem.status == "failed")
                .values(status="queued", attempts=0, error="", finished_at=None)
            )
        return ids


def queued_items(engine: Engine, batch: str) -> list[int]:
    with Session(engine) as session:
        return list(
            session.scalars(select(WorkItem.id).where(WorkItem.batch == batch, WorkItem.status == "queued"))
        )


@dataclass(frozen=True)
class BatchProgress:
    batch: str
    counts: dict[str, int]
    failures: list[tuple[str, str]] = field(default_factory=list)
    eta_s: float | None = None
    pages_per_min: float | None = None  # over the last RECENT minutes
    lost: int = 0  # processing, but the lease ran out: the worker is gone, the reaper will requeue them

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def finished(self) -> int:
        return sum(self.counts.get(s, 0) for s in TERMINAL)


#: The window the pace is measured over: the ETA follows what workers do now, not the batch's history.
RECENT = timedelta(minutes=10)


def progress(engine: Engine, batch: str, moment: datetime | None = None) -> BatchProgress:
    moment = moment or now()
    in_batch = WorkItem.batch == batch
    with Session(engine) as session:
        rows = session.execute(
            select(WorkItem.status, func.count()).where(in_batch).group_by(WorkItem.status)
        )
        counts = {s: 0 for s in ("queued", "processing", *TERMINAL)} | {str(s): int(n) for s, n in rows.all()}
        failures = session.execute(
            select(WorkItem.source_name, WorkItem.error)
            .where(in_batch, WorkItem.status == "failed")
            .order_by(WorkItem.id)
        ).all()
        since = moment - RECENT
        recent, first = session.execute(
            select(func.count(), func.min(WorkItem.started_at)).where(in_batch, WorkItem.finished_at >= since)
        ).one()
        lost = session.scalar(
            select(func.count()).where(
                in_batch, WorkItem.status == "processing", WorkItem.lease_until < moment
            )
        )
    rate = _rate(int(recent), max(since, as_utc(first)) if first else None, moment)
    remaining = counts["queued"] + counts["processing"]
    eta = remaining / rate * 60 if rate else None
    return BatchProgress(batch, counts, [(str(n), str(e)) for n, e in failures], eta, rate, int(lost or 0))


def _rate(finished: int, first: datetime | None, last: datetime) -> float | None:
    """Items per minute finished since `first`; None when none finished in the window (no pace to tell)."""
    if not finished or first is None:
        return None
    seconds = (as_utc(last) - as_utc(first)).total_seconds()
    return finished / seconds * 60 if seconds > 0 else None


# --- register volumes -------------------------------------------------------------------------------


def add_volume(engine: Engine, batch: str, volume_key: str, source_name: str, page_count: int) -> None:
    with Session(engine) as session:
        exists = session.scalar(
            select(Volume.id).where(Volume.batch == batch, Volume.volume_key == volume_key)
        )
        if exists is None:
            session.add(
                Volume(
                    batch=batch,
                    volume_key=volume_key,
                    source_name=source_name,
                    page_count=page_count,
                    status="open",
                    problems=[],
                )
            )
            try:
                session.commit()
            except IntegrityError:
                session.rollback()


@dataclass(frozen=True)
class VolumePage:
    page_number: int
    status: str
    error: str
    numbers: list[tuple[str | None, str | None]]  # (registration number, book) per record, in order


def volume_pages(engine: Engine, batch: str, volume_key: str) -> list[VolumePage] | None:
    """The volume's pages with their records, or None while some page is still queued or running."""
    with Session(engine) as session:
        items = session.scalars(
            select(WorkItem)
            .where(WorkItem.batch == batch, WorkItem.volume_key == volume_key)
            .order_by(WorkItem.page_number)
        ).all()
        if not items or any(i.status not in TERMINAL for i in items):
            return None
        pages = []
        for item in items:
            events = (
                session.execute(
                    select(Event.registration_number, Event.book_number)
                    .where(Event.document_id == item.document_id)
                    .order_by(Event.record_index)
                ).all()
                if item.document_id is not None
                else []
            )
            pages.append(
                VolumePage(item.page_number or 0, item.status, item.error, [(n, b) for n, b in events])
            )
        return pages


def save_volume_join(engine: Engine, batch: str, volume_key: str, problems: list[str]) -> None:
    with Session(engine) as session, session.begin():
        session.execute(
            update(Volume)
            .where(Volume.batch == batch, Volume.volume_key == volume_key)
            .values(status="needs_review" if problems else "joined", problems=problems, joined_at=now())
        )
