"""Batches on a queue: submit (upload originals, split volumes, enqueue), run one item, join volumes,
retry and recover.

`work_on_item` is the whole life of one queued page: claim it in the repository (with a lease), run the same
`digitize_stored` job as `digitize run`, record the outcome under the claim. A worker that dies stops
renewing its lease; `recover` puts its item back on the queue and the claim makes sure only one attempt
can ever record a result. Objects and repository rows are keyed by sha256, so an attempt that is
repeated after a crash rewrites nothing and adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine

from digitize.errors import InputError, SohoaError, as_sohoa_error
from digitize.extract.validate import volume_problems
from digitize.model import SourceDocument
from digitize.stages.split import split_pages
from storage.repository import intake, work
from storage.repository.store import document_status, find_document
from workers.jobs import Services, Storage, digitize_stored, ingest, record_stored
from workers.logs import event
from workers.queue import JobQueue, RqQueue

log = logging.getLogger("sohoa.worker")
INFO, WARNING = logging.INFO, logging.WARNING


@dataclass
class SubmitReport:
    batch: str
    items: list[int] = field(default_factory=list)
    new: int = 0
    refused: list[SohoaError] = field(default_factory=list)


def submit(
    storage: Storage,
    queue: JobQueue,
    sources: Iterable[SourceDocument | InputError],
    batch: str,
    split_volumes: bool = False,
) -> SubmitReport:
    """Upload every original and queue one item per document (per page for split volumes)."""
    report = SubmitReport(batch)
    for source in sources:
        if isinstance(source, InputError):
            report.refused.append(source)
            continue
        try:
            for item_id, created in _submit_one(storage, source, batch, split_volumes):
                report.items.append(item_id)
                if created:
                    report.new += 1
                    work.set_job(storage.db, item_id, queue.enqueue(item_id) or "")
        except SohoaError as exc:
            report.refused.append(exc.for_file(source.name))
    return report


def _submit_one(
    storage: Storage, source: SourceDocument, batch: str, split_volumes: bool
) -> Iterator[tuple[int, bool]]:
    agency = storage.config.storage.agency_code
    pages = split_pages(source, storage.config.load) if split_volumes else [source]
    if len(pages) == 1:
        key = ingest(storage, pages[0], batch)
        yield work.add_item(storage.db, _new_item(batch, agency, pages[0], key))
        return
    volume_key = ingest(storage, source, batch)
    work.add_volume(storage.db, batch, volume_key, source.name, len(pages))
    for number, page in enumerate(pages, start=1):
        key = ingest(storage, page, batch, role="original-page")
        yield work.add_item(storage.db, _new_item(batch, agency, page, key, volume_key, number))


def _new_item(
    batch: str,
    agency: str,
    source: SourceDocument,
    key: str,
    volume: str | None = None,
    page: int | None = None,
    dossier: str | None = None,
    role: str = "component",
) -> work.NewItem:
    digest = hashlib.sha256(source.data).hexdigest()
    return work.NewItem(batch, agency, source.name, key, digest, volume, page, dossier, role)


def submit_dossier(
    storage: Storage,
    queue: JobQueue,
    dossier_id: str,
    sources: list[SourceDocument],
    role: str = "component",
) -> list[int]:
    """Store a dossier's originals, add one item each, then queue every item not yet finished.

    Items are queued only after the dossier is marked received, so no document can finish while the
    dossier is still being received. Repeating the call (an idempotent resubmission after a crash) adds
    nothing and re-queues what may have been lost; a duplicate queue entry is skipped by the claim.
    """
    batch = intake.dossier_batch(dossier_id)
    agency = storage.config.storage.agency_code
    items = []
    for source in sources:
        key = ingest(storage, source, batch, role="original" if role == "component" else "result-original")
        item_id, _ = work.add_item(
            storage.db, _new_item(batch, agency, source, key, dossier=dossier_id, role=role)
        )
        items.append(item_id)
    intake.mark_received(storage.db, dossier_id)  # a finished dossier given its result reopens
    for item_id in work.queued_items(storage.db, batch):
        work.set_job(storage.db, item_id, queue.enqueue(item_id) or "")
    return items


@dataclass(frozen=True)
class ItemOutcome:
    item_id: int
    status: str  # done, needs_review, failed, retrying, skipped
    error: str = ""


def work_on_item(services: Services, queue: JobQueue, item_id: int, owner: str) -> ItemOutcome:
    """Process one queued item under a lease; the outcome is recorded in the repository."""
    lease = services.config.queue.lease_s
    claim = work.claim(services.db, item_id, owner, lease)
    if claim is None:
        return ItemOutcome(item_id, "skipped")  # done already, or a live worker has it
    saved_before = find_document(services.db, claim.sha256)
    if saved_before is not None:  # an earlier attempt (or batch) got as far as the repository
        return _record(services, claim, saved_before[1], saved_before[0], 0.0)
    with _keep_lease(services, claim, lease):
        try:
            outcome = record_stored(services, claim.original_key, claim.sha256, claim.batch)
            if outcome is not None:  # stored whole by an attempt that could not record it: not redone
                event(
                    log, INFO, "item.recorded_from_store", "an earlier attempt stored it", item=claim.item_id
                )
                return _record(
                    services, claim, document_status(outcome.result), outcome.saved.document_id, 0.0
                )
            outcome = digitize_stored(services, claim.original_key, claim.source_name, claim.batch)
        except Exception as exc:  # a bug on one page must not take the worker down
            return _failed(services, queue, claim, as_sohoa_error(exc, claim.source_name))
    pipeline_ms = outcome.result.seconds * 1000  # digitize_document alone: storage and repository excluded
    return _record(services, claim, document_status(outcome.result), outcome.saved.document_id, pipeline_ms)


def _record(services: Services, claim: work.Claim, status: str, document_id: int, ms: float) -> ItemOutcome:
    if not work.finish(services.db, claim, status, document_id=document_id, pipeline_ms=ms):
        return ItemOutcome(claim.item_id, "skipped", "the lease was taken over; the other attempt records it")
    event(log, INFO, "item.finished", status, item=claim.item_id, attempt=claim.attempt, ms=round(ms))
    if claim.volume_key:
        join_volume(services, claim.batch, claim.volume_key)
    return ItemOutcome(claim.item_id, status)


def should_retry(error: SohoaError, attempt: int, max_attempts: int) -> bool:
    """The workers' one reading of the error tree: a transient error is tried again while attempts last."""
    return error.transient and attempt < max_attempts


def _failed(services: Services, queue: JobQueue, claim: work.Claim, error: SohoaError) -> ItemOutcome:
    cfg = services.config.queue
    fields = {"item": claim.item_id, "attempt": claim.attempt, "error": error.code}
    if should_retry(error, claim.attempt, cfg.max_attempts):
        event(log, WARNING, "item.retrying", "transient failure", **fields)
        work.finish(services.db, claim, "queued", error=f"attempt {claim.attempt}: {error}")
        queue.enqueue(claim.item_id, cfg.retry_backoff_s * 2 ** (claim.attempt - 1))
        return ItemOutcome(claim.item_id, "retrying", str(error))
    event(log, WARNING, "item.failed", "failed", **fields)
    work.finish(services.db, claim, "failed", error=str(error), reason=error.message)
    if claim.volume_key:
        join_volume(services, claim.batch, claim.volume_key)
    return ItemOutcome(claim.item_id, "failed", str(error))


@contextmanager
def _keep_lease(services: Services, claim: work.Claim, lease_s: float) -> Iterator[None]:
    """Renew the claim's lease from a thread while the page is processed."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease_s / 3):
            try:
                if not work.renew(services.db, claim, lease_s):
                    return
            except Exception:  # a database hiccup: try again at the next tick; the lease has slack
                continue

    thread = threading.Thread(target=renew, name=f"lease-{claim.item_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def join_volume(services: Services, batch: str, volume_key: str) -> list[str] | None:
    """Once every page of a volume is finished: check numbering and book across pages, store the report."""
    pages = work.volume_pages(services.db, batch, volume_key)
    if pages is None:
        return None
    problems = [f"page {p.page_number} failed: {p.error}" for p in pages if p.status == "failed"]
    problems += volume_problems([(p.page_number, p.numbers) for p in pages if p.status != "failed"])
    work.save_volume_join(services.db, batch, volume_key, problems)
    report = {
        "volume": volume_key,
        "pages": len(pages),
        "problems": problems,
        "page_status": {p.page_number: p.status for p in pages},
    }
    prefix = volume_key.rsplit("/", 1)[0]
    services.store.put(
        f"{prefix}/volume.json",
        json.dumps(report, ensure_ascii=False, indent=1).encode(),
        {"role": "volume-report"},
    )
    return problems


def recover(repository: Engine, queue: JobQueue) -> list[int]:
    """Queue again, ahead of the rest, every item whose worker stopped renewing its lease: it was owed
    first, it must not wait for the whole queue."""
    lost = work.requeue_expired(repository)
    for item_id, _ in lost:
        work.set_job(repository, item_id, queue.enqueue(item_id, at_front=True) or "")
    forget = getattr(queue, "forget", None)
    if forget is not None:  # the lost attempts' jobs are not failures: the items are queued again
        forget([job for _, job in lost if job])
    return [item_id for item_id, _ in lost]


def reconcile(repository: Engine, queue: RqQueue, older_than_s: float) -> list[int]:
    """The repository is the record of progress: every item queued there for a while whose job the queue
    no longer holds (Redis restarted without its data, a job lost) is queued again, ahead of the rest. A
    duplicate job does no harm: the claim lets one attempt through."""
    held = queue.held_job_ids()
    lost = [item for item, job in work.queued_jobs(repository, older_than_s) if job not in held]
    for item_id in lost:
        work.set_job(repository, item_id, queue.enqueue(item_id, at_front=True) or "")
    return lost


def retry(storage: Storage, queue: JobQueue, batch: str, include_queued: bool = False) -> list[int]:
    """Failed items (and lost ones) of a batch back on the queue with a fresh attempt budget."""
    recovered = recover(storage.db, queue)
    items = work.reset_failed(storage.db, batch)
    if include_queued:  # e.g. after Redis lost its data: the repository still knows what is left
        items += [i for i in work.queued_items(storage.db, batch) if i not in recovered]
    for item_id in dict.fromkeys(items):
        work.set_job(storage.db, item_id, queue.enqueue(item_id) or "")
    return recovered + items
