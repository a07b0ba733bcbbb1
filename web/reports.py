"""GET /reports/indicators: the figures of `digitize report`, for the intake system (JSON)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel, Field

from digitize.indicators import FIRST_DAY, LAST_DAY, build_report, local_day, period, report_json, window_for
from storage.repository.intake import ClientView
from storage.repository.reports import load_facts
from web.auth import require
from web.context import ApiContext
from web.schema import ErrorBody

#: A request computes its figures at once; longer periods are for `digitize report`.
MAX_DAYS = 366

Share = Annotated[float | None, Field(ge=0, le=1, description="fraction 0–1; null when nothing was received")]


class FiguresOut(BaseModel):
    dossiers_received: int
    dossiers_digitized: int
    dossiers_with_e_result: int
    dossiers_reusing: int
    digitized_share: Share
    e_result_share: Share
    reuse_share: Share
    median_hours_to_e_result: float | None
    documents_digitized: int
    pages: int
    pages_per_day: float
    documents_needing_review: int
    documents_failed: int
    failures_by_reason: dict[str, int]


class PeriodOut(BaseModel):
    from_: date = Field(alias="from")
    to: date
    timezone: str
    agency: str | None
    by: Literal["day", "week", "month"]


class SharePointOut(BaseModel):
    period: str
    agency: str
    dossiers: int
    digitized_share: Share
    e_result_share: Share
    reuse_share: Share


class DayPointOut(BaseModel):
    day: date
    agency: str
    pages: int
    in_progress: int
    needs_review: int


class IndicatorsOut(BaseModel):
    period: PeriodOut
    generated_at: datetime
    agencies: dict[str, FiguresOut]
    total: FiguresOut
    shares_over_time: list[SharePointOut]
    days: list[DayPointOut]


def add_report_routes(app: FastAPI, context: ApiContext) -> None:
    reader = Depends(require(context, "read"))

    @app.get(
        "/reports/indicators",
        response_model=IndicatorsOut,
        response_model_by_alias=True,
        responses={422: {"model": ErrorBody}},
        tags=["reports"],
    )
    def indicators(
        client: ClientView = reader,
        from_: Annotated[
            date | None,
            Query(alias="from", ge=FIRST_DAY, le=LAST_DAY, description="first day (Vietnam time)"),
        ] = None,
        to: Annotated[
            date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="last day, included (default today)")
        ] = None,
        agency: Annotated[str | None, Query(max_length=100)] = None,
        by: Annotated[Literal["day", "week", "month"], Query()] = "month",
    ) -> dict[str, Any]:
        """Decision 766 shares (digitized, e-result, reuse) per agency and in total; see the README."""
        now = datetime.now(UTC)
        start, end = period(from_, to, local_day(now), longest_days=MAX_DAYS)
        return report_json(
            build_report(load_facts(context.storage.db, window_for(start, end, agency)), by, now)
        )
