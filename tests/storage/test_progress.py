"""`digitize status`: the pace and ETA follow what workers do now, and pages of a lost worker are named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from storage.repository import open_repository
from storage.repository.models import WorkItem
from storage.repository.work import progress

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _item(
    n: int, status: str, finished_min_ago: float | None = None, lease_min: float | None = None
) -> WorkItem:
    finished = NOW - timedelta(minutes=finished_min_ago) if finished_min_ago is not None else None
    return WorkItem(
        batch="b",
        agency="a",
        source_name=f"p{n}.png",
        original_key=f"k{n}",
        sha256=f"{n:064d}",
        status=status,
        started_at=finished - timedelta(seconds=30) if finished else NOW - timedelta(minutes=1),
        finished_at=finished,
        lease_until=NOW + timedelta(minutes=lease_min) if lease_min is not None else None,
    )


def test_the_eta_comes_from_the_last_minutes_and_stops_when_nothing_moves(tmp_path: Path) -> None:
    engine = open_repository(f"sqlite:///{tmp_path / 'r.db'}")
    with Session(engine) as session:
        # An hour ago the batch went fast (30 pages in a minute); in the last ten minutes, 5 pages.
        session.add_all(_item(n, "done", 60 + n / 30) for n in range(30))
        session.add_all(_item(100 + n, "done", 2 * n) for n in range(5))
        session.add_all(_item(200 + n, "queued") for n in range(10))
        session.add(_item(300, "processing", lease_min=-1))  # its worker stopped renewing
        session.add(_item(301, "processing", lease_min=+1))
        session.commit()
    state = progress(engine, "b", NOW)
    # 5 pages since the first of them started, 8.5 minutes ago (not the hour-old burst)
    assert state.pages_per_min is not None and 0.58 < state.pages_per_min < 0.6
    assert state.eta_s is not None and 1200 < state.eta_s < 1250  # 12 left at 0.59/min
    assert state.lost == 1
    later = progress(engine, "b", NOW + timedelta(minutes=30))  # nothing finished since
    assert later.pages_per_min is None and later.eta_s is None
