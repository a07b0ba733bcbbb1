"""The digitization indicators of Decision 766/QĐ-TTg, computed from repository facts (no database here).

Definitions (a dossier counts in the period it was received; events count if they happened by its end):

- e_result_share (4.1): dossiers with an e-result ÷ dossiers received. A dossier has an e-result when a
  document attached as its result (`POST /dossiers/{id}/results`) has been digitized and signed.
- digitized_share (4.2): dossiers whose every component has a signed digitized copy AND that have an
  e-result ÷ dossiers received.
- reuse_share (4.3): dossiers with at least one reused component ÷ dossiers received. A component is
  reused when the intake system took accepted data from the repository for that dossier (a successful
  `GET /persons/…?dossier_code=` lookup) or when the paper handed in was already digitized before.
- median_hours_to_e_result: median over dossiers with an e-result of (first signed result − received).
- pages_per_day: pages of documents digitized in the period ÷ days of the period so far.
- documents_needing_review: documents whose fields wait for a reviewer at the end of the period.

Dates are Vietnam time (UTC+7, no daylight saving); shares are fractions 0–1 rounded to 4 places, None
when nothing was received.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import accumulate
from typing import Any

from digitize.errors import RequestError
from digitize.facts import DossierFact, Facts, Window

VIETNAM = timezone(timedelta(hours=7), "ICT")
TOTAL = "total"
BUCKETS = ("day", "week", "month")
#: Dates a report may name (registers go back to the 1900s; beyond these the calendar arithmetic overflows).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def period(start: date | None, end: date | None, today: date, longest_days: int = 0) -> tuple[date, date]:
    """The period asked for: up to today by default, from the 1st of the end's month by default."""
    end = end or today
    start = start or end.replace(day=1)
    for day in (start, end):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise RequestError(f"{day} is outside {FIRST_DAY} – {LAST_DAY}", fix="ask for a real period")
    if start > end:
        raise RequestError(f"the period starts ({start}) after it ends ({end})", fix="swap the dates")
    if longest_days and (end - start).days >= longest_days:
        raise RequestError(
            f"the period {start} – {end} is longer than {longest_days} days", fix="ask for a shorter period"
        )
    return start, end


def window_for(start: date, end: date, agency: str | None = None) -> Window:
    """The UTC window of the Vietnam dates start..end (both included)."""
    return Window(_midnight(start), _midnight(end + timedelta(days=1)), agency)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), VIETNAM).astimezone(UTC)


def local_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


@dataclass(frozen=True)
class Figures:
    dossiers_received: int = 0
    dossiers_digitized: int = 0
    dossiers_with_e_result: int = 0
    dossiers_reusing: int = 0
    digitized_share: float | None = None
    e_result_share: float | None = None
    reuse_share: float | None = None
    median_hours_to_e_result: float | None = None
    documents_digitized: int = 0
    pages: int = 0
    pages_per_day: float = 0.0
    documents_needing_review: int = 0
    documents_failed: int = 0
    failures_by_reason: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SharePoint:
    period: str  # 2026-11, 2026-W47 or 2026-11-23
    agency: str
    dossiers: int
    digitized_share: float | None
    e_result_share: float | None
    reuse_share: float | None


@dataclass(frozen=True)
class DayPoint:
    day: date
    agency: str
    pages: int
    in_progress: int  # queued or being processed at the end of the day
    needs_review: int  # waiting for a reviewer at the end of the day


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    agency: str | None
    by: str
    generated_at: datetime
    agencies: dict[str, Figures]
    total: Figures
    shares: list[SharePoint]
    days: list[DayPoint]


def build_report(facts: Facts, by: str = "month", now: datetime | None = None) -> Report:
    """Figures per agency and in total, shares per period and agency, and pages and backlog per day."""
    now = now or datetime.now(UTC)
    window = facts.window
    days = _days(window, now)
    groups = _by_agency(facts)
    return Report(
        local_day(window.start),
        local_day(window.end - timedelta(seconds=1)),
        window.agency,
        by,
        now,
        {name: _figures(group, len(days)) for name, group in sorted(groups.items())},
        _figures(facts, len(days)),
        _share_series(facts.dossiers, by),
        _day_series(facts, days),
    )


def _days(window: Window, now: datetime) -> list[date]:
    """The days of the period that have begun (a period reaching into the future stops today)."""
    first, last = local_day(window.start), local_day(min(window.end, now) - timedelta(seconds=1))
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _by_agency(facts: Facts) -> dict[str, Facts]:
    groups: dict[str, Facts] = {}

    def group(agency: str) -> Facts:
        return groups.setdefault(agency, Facts(facts.window, [], [], [], []))

    for dossier in facts.dossiers:
        group(dossier.agency).dossiers.append(dossier)
    for document in facts.documents:
        group(document.agency).documents.append(document)
    for failure in facts.failures:
        group(failure.agency).failures.append(failure)
    for wait in facts.waits:
        group(wait.agency).waits.append(wait)
    return groups


@dataclass(frozen=True)
class _Counts:
    """The three indicators' numerators over one group of dossiers."""

    received: int
    digitized: int
    with_result: list[DossierFact]
    reusing: int

    @classmethod
    def of(cls, dossiers: list[DossierFact]) -> _Counts:
        return cls(
            len(dossiers),
            sum(1 for d in dossiers if is_digitized(d)),
            [d for d in dossiers if e_result_at(d) is not None],
            sum(1 for d in dossiers if is_reusing(d)),
        )

    def shares(self) -> tuple[float | None, float | None, float | None]:
        """digitized, e-result and reuse shares."""
        n = self.received
        return share(self.digitized, n), share(len(self.with_result), n), share(self.reusing, n)


def _figures(facts: Facts, day_count: int) -> Figures:
    counts = _Counts.of(facts.dossiers)
    digitized_share, e_result_share, reuse_share = counts.shares()
    fresh = [d for d in facts.documents if facts.window.start <= d.saved_at < facts.window.end]
    pages = sum(d.pages for d in fresh)
    return Figures(
        dossiers_received=counts.received,
        dossiers_digitized=counts.digitized,
        dossiers_with_e_result=len(counts.with_result),
        dossiers_reusing=counts.reusing,
        digitized_share=digitized_share,
        e_result_share=e_result_share,
        reuse_share=reuse_share,
        median_hours_to_e_result=_median_hours(counts.with_result),
        documents_digitized=len(fresh),
        pages=pages,
        pages_per_day=round(pages / day_count, 2) if day_count else 0.0,
        documents_needing_review=sum(1 for d in facts.documents if d.status == "needs_review"),
        documents_failed=len(facts.failures),
        failures_by_reason=dict(Counter(failure_reason(f.reason) for f in facts.failures).most_common()),
    )


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def e_result_at(dossier: DossierFact) -> datetime | None:
    signed = [i.signed_at for i in dossier.items if i.role == "result" and i.signed_at is not None]
    return min(signed) if signed else None


def is_digitized(dossier: DossierFact) -> bool:
    components = [i for i in dossier.items if i.role == "component"]
    return bool(components) and all(i.signed_at for i in components) and e_result_at(dossier) is not None


def is_reusing(dossier: DossierFact) -> bool:
    return dossier.reuse_lookup or any(i.digitized_before for i in dossier.items if i.role == "component")


def _median_hours(dossiers: list[DossierFact]) -> float | None:
    hours = [((e_result_at(d) or d.received_at) - d.received_at).total_seconds() / 3600 for d in dossiers]
    return round(statistics.median(hours), 2) if hours else None


_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_NUMBER = re.compile(r"\d[\d,.]*")


def failure_reason(message: str) -> str:
    """Messages differ in numbers and details: "page 3 is only 90×60 pixels" → "page N is only N×N pixels"."""
    text = _NUMBER.sub("N", _PARENTHESIS.sub("", message)).strip().rstrip(".")
    return text[:120] or "unrecorded"


def bucket(day: date, by: str) -> str:
    if by == "day":
        return day.isoformat()
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def _share_series(dossiers: list[DossierFact], by: str) -> list[SharePoint]:
    groups: dict[tuple[str, str], list[DossierFact]] = defaultdict(list)
    for d in dossiers:
        label = bucket(local_day(d.received_at), by)
        groups[(label, d.agency)].append(d)
        groups[(label, TOTAL)].append(d)
    return [_share_point(label, agency, group) for (label, agency), group in sorted(groups.items())]


def _share_point(label: str, agency: str, group: list[DossierFact]) -> SharePoint:
    return SharePoint(label, agency, len(group), *_Counts.of(group).shares())


def _day_series(facts: Facts, days: list[date]) -> list[DayPoint]:
    """Pages per day, and the backlog at the end of each day, per agency and in total, in one pass.

    Backlogs are running sums of changes: an item is in progress from the day it was queued until the day
    before it finished; a document waits for review from the day it was saved.
    """
    if not days:
        return []
    width = len(days)

    def slot(day: date) -> int:
        return min(max((day - days[0]).days, 0), width)

    pages: dict[str, list[int]] = defaultdict(lambda: [0] * (width + 1))
    progress: dict[str, list[int]] = defaultdict(lambda: [0] * (width + 1))
    review: dict[str, list[int]] = defaultdict(lambda: [0] * (width + 1))
    for doc in facts.documents:
        day = local_day(doc.saved_at)
        for key in (doc.agency, TOTAL):
            if days[0] <= day <= days[-1]:
                pages[key][slot(day)] += doc.pages
            review[key][slot(day)] += doc.status == "needs_review"
    for wait in facts.waits:
        stop = slot(local_day(wait.finished_at)) if wait.finished_at else width
        for key in (wait.agency, TOTAL):
            progress[key][slot(local_day(wait.queued_at))] += 1
            progress[key][stop] -= 1
    agencies = sorted((pages.keys() | progress.keys() | review.keys()) - {TOTAL}) + [TOTAL]
    return [
        DayPoint(day, agency, pages[agency][i], in_progress, waiting)
        for agency in agencies
        for i, (day, in_progress, waiting) in enumerate(
            zip(days, accumulate(progress[agency][:width]), accumulate(review[agency][:width]), strict=True)
        )
    ]


def report_json(report: Report) -> dict[str, Any]:
    """The JSON form (CLI --format json and GET /reports/indicators)."""
    return {
        "period": {
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "timezone": "+07:00",
            "agency": report.agency,
            "by": report.by,
        },
        "generated_at": report.generated_at.astimezone(VIETNAM).isoformat(timespec="seconds"),
        "agencies": {name: figures.__dict__ for name, figures in report.agencies.items()},
        "total": report.total.__dict__,
        "shares_over_time": [p.__dict__ for p in report.shares],
        "days": [p.__dict__ | {"day": p.day.isoformat()} for p in report.days],
    }
