"""Decision 766 indicators from a known repository: exact figures on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from digitize.errors import RequestError
from digitize.indicators import build_report, failure_reason, period, report_json, window_for
from storage.repository import open_repository
from storage.repository.reports import load_facts
from tests.storage.report_seed import seed

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if request.param == "sqlite":
        engine = open_repository(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    else:
        engine = open_repository(str(request.getfixturevalue("pg_database")))
    seed(engine)
    return engine


def october(engine: Engine, agency: str | None = None, by: str = "month") -> dict[str, Any]:
    facts = load_facts(engine, window_for(date(2026, 10, 1), date(2026, 10, 31), agency))
    return report_json(build_report(facts, by, NOW))


def test_shares_per_agency_and_in_total(engine: Engine) -> None:
    report = october(engine)
    a, b, total = report["agencies"]["UBND-A"], report["agencies"]["UBND-B"], report["total"]
    assert (a["dossiers_received"], b["dossiers_received"], total["dossiers_received"]) == (4, 2, 6)
    # A1 and A2: every component signed and an e-result; A3 lost its component, A4's result came late.
    assert (a["digitized_share"], a["e_result_share"], a["reuse_share"]) == (0.5, 0.75, 0.5)
    assert (b["digitized_share"], b["e_result_share"], b["reuse_share"]) == (0.0, 0.0, 0.0)
    assert (total["digitized_share"], total["e_result_share"], total["reuse_share"]) == (0.3333, 0.5, 0.3333)
    assert (total["dossiers_digitized"], total["dossiers_with_e_result"], total["dossiers_reusing"]) == (
        2,
        3,
        2,
    )
    assert a["median_hours_to_e_result"] == 24.0  # 24, 12 and 24 hours
    assert b["median_hours_to_e_result"] is None
    loose = report["agencies"]["000.00.00.H00"]  # submitted outside any dossier
    assert loose["dossiers_received"] == 0 and loose["digitized_share"] is None


def test_documents_pages_review_and_failures(engine: Engine) -> None:
    report = october(engine)
    a, b, total = report["agencies"]["UBND-A"], report["agencies"]["UBND-B"], report["total"]
    assert (a["documents_digitized"], a["pages"], a["pages_per_day"]) == (6, 9, 0.29)
    assert (b["documents_digitized"], b["pages"], b["pages_per_day"]) == (1, 4, 0.13)
    assert (total["documents_digitized"], total["pages"], total["pages_per_day"]) == (8, 18, 0.58)
    assert (a["documents_needing_review"], total["documents_needing_review"]) == (1, 2)
    assert a["failures_by_reason"] == {"the PDF is encrypted": 1}
    assert b["failures_by_reason"] == {"page N is only N×N pixels": 1}
    assert total["documents_failed"] == 2


def test_days_count_in_vietnam_time(engine: Engine) -> None:
    days = {(d["day"], d["agency"]): d for d in october(engine)["days"]}
    assert len([k for k in days if k[1] == "total"]) == 31
    assert days[("2026-10-05", "total")] == {
        "day": "2026-10-05",
        "agency": "total",
        "pages": 7,
        "in_progress": 0,
        "needs_review": 1,
    }
    assert days[("2026-10-10", "total")]["in_progress"] == 1  # B2 fails the next morning
    assert days[("2026-10-10", "UBND-B")]["pages"] == 4
    assert days[("2026-10-15", "total")]["needs_review"] == 2
    assert days[("2026-10-20", "UBND-A")]["in_progress"] == 1


def test_shares_over_time(engine: Engine) -> None:
    monthly = october(engine)["shares_over_time"]
    assert [(p["period"], p["agency"], p["dossiers"]) for p in monthly] == [
        ("2026-10", "UBND-A", 4),
        ("2026-10", "UBND-B", 2),
        ("2026-10", "total", 6),
    ]
    weekly = {(p["period"], p["agency"]): p for p in october(engine, by="week")["shares_over_time"]}
    assert weekly[("2026-W41", "UBND-A")]["digitized_share"] == 1.0  # A1, A2 on Monday 5 October
    assert weekly[("2026-W44", "UBND-A")]["reuse_share"] == 1.0  # A4, Saturday 31 October, 23:30
    assert weekly[("2026-W44", "UBND-A")]["e_result_share"] == 0.0


def test_one_agency_only(engine: Engine) -> None:
    report = october(engine, agency="UBND-B")
    assert list(report["agencies"]) == ["UBND-B"]
    assert report["total"] == report["agencies"]["UBND-B"]
    assert report["period"]["agency"] == "UBND-B"


def test_a_later_report_of_the_same_month_reads_the_same(engine: Engine) -> None:
    facts = load_facts(engine, window_for(date(2026, 10, 1), date(2026, 10, 31)))
    later = report_json(build_report(facts, "month", datetime(2027, 3, 1, tzinfo=UTC)))
    assert later["total"] == october(engine)["total"]


def test_period_defaults_and_refusals() -> None:
    assert period(None, None, date(2026, 11, 23)) == (date(2026, 11, 1), date(2026, 11, 23))
    assert period(None, date(2026, 10, 31), date(2026, 11, 23)) == (date(2026, 10, 1), date(2026, 10, 31))
    with pytest.raises(RequestError, match="after it ends"):
        period(date(2026, 11, 5), date(2026, 11, 1), date(2026, 11, 23))
    with pytest.raises(RequestError, match="outside 1900-01-01"):
        period(None, date(1, 1, 1), date(2026, 11, 23))  # found by schemathesis: a 500 before
    with pytest.raises(RequestError, match="longer than 366 days"):
        period(date(2024, 1, 1), date(2026, 1, 1), date(2026, 11, 23), longest_days=366)


def test_failure_reasons_group_messages_that_differ_in_numbers() -> None:
    assert failure_reason("page 12 has 40000×30000 pixels, more than 89,478,485") == (
        "page N has N×N pixels, more than N"
    )
    assert failure_reason("the TIFF cannot be read (cannot identify image file)") == "the TIFF cannot be read"
    assert failure_reason("") == "unrecorded"
