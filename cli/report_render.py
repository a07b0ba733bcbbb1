"""The indicator report as a text table, CSV, JSON or one self-contained HTML file with Plotly charts."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable

from digitize.indicators import TOTAL, VIETNAM, Figures, Report, report_json

#: 766 gives full points at 80 % or more for digitized dossiers and reuse.
TARGET = 0.8

COLUMNS = (
    ("dossiers", "dossiers_received"),
    ("digitized", "digitized_share"),
    ("e-result", "e_result_share"),
    ("reuse", "reuse_share"),
    ("review", "documents_needing_review"),
    ("failed", "documents_failed"),
    ("pages", "pages"),
    ("pages/day", "pages_per_day"),
    ("median h to e-result", "median_hours_to_e_result"),
)


def _rows(report: Report) -> list[tuple[str, Figures]]:
    return [*report.agencies.items(), (TOTAL, report.total)]


def _cell(name: str, value: object) -> str:
    if value is None:
        return "-"
    if name.endswith("_share"):
        return f"{float(value) * 100:.2f} %"  # type: ignore[arg-type]
    return f"{value:g}" if isinstance(value, float) else str(value)


def as_table(report: Report) -> str:
    header = ["agency", *(title for title, _ in COLUMNS)]
    rows = [[name, *(_cell(key, getattr(f, key)) for _, key in COLUMNS)] for name, f in _rows(report)]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"Decision 766 indicators, {report.start} – {report.end} (Vietnam time)"]
    lines += [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in [header, *rows]
    ]
    if report.total.failures_by_reason:
        lines.append("failures by reason:")
        lines += [f"  {n:>5}  {reason}" for reason, n in report.total.failures_by_reason.items()]
    return "\n".join(lines) + "\n"


def as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = [key for _, key in COLUMNS] + ["dossiers_digitized", "dossiers_with_e_result", "dossiers_reusing"]
    writer.writerow(["from", "to", "agency", *keys, "failures_by_reason"])
    for name, f in _rows(report):
        values = ["" if getattr(f, k) is None else getattr(f, k) for k in keys]
        reasons = "; ".join(f"{reason}: {n}" for reason, n in f.failures_by_reason.items())
        writer.writerow([report.start, report.end, name, *values, reasons])
    return out.getvalue()


def as_json(report: Report) -> str:
    return json.dumps(report_json(report), ensure_ascii=False, indent=1) + "\n"


def as_html(report: Report) -> str:
    """One file, no network: plotly.js is embedded once, every chart drawn by it."""
    from cli.report_charts import backlog_chart, pages_chart, shares_chart

    charts = [shares_chart(report, TARGET), backlog_chart(report), pages_chart(report)]
    parts = [
        chart.to_html(full_html=False, include_plotlyjs=(i == 0), div_id=f"chart-{name}")
        for i, (name, chart) in enumerate(charts)
    ]
    title = f"Chỉ số số hóa (Quyết định 766/QĐ-TTg) {report.start} – {report.end}"
    return _PAGE.format(
        title=html.escape(title),
        generated=html.escape(report.generated_at.astimezone(VIETNAM).isoformat(timespec="seconds")),
        table=_html_table(report),
        charts="\n".join(f'<section class="chart">{p}</section>' for p in parts),
    )


def _html_table(report: Report) -> str:
    head = "".join(f"<th>{html.escape(t)}</th>" for t in ["agency", *(t for t, _ in COLUMNS)])
    body = "".join(
        "<tr>"
        + f"<th>{html.escape(name)}</th>"
        + "".join(f"<td>{html.escape(_cell(k, getattr(f, k)))}</td>" for _, k in COLUMNS)
        + "</tr>"
        for name, f in _rows(report)
    )
    return f'<table id="figures"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:"Noto Sans",Arial,sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #bbb;padding:.3em .6em;text-align:right}}th:first-child{{text-align:left}}
.chart{{margin-top:2em}}</style></head>
<body><h1>{title}</h1><p>Giờ Việt Nam (UTC+7). Lập lúc {generated}.</p>
{table}
{charts}
</body></html>
"""

RENDERERS: dict[str, Callable[[Report], str]] = {
    "table": as_table,
    "csv": as_csv,
    "json": as_json,
    "html": as_html,
}
