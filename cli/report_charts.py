"""Plotly figures of the indicator report: shares over time per agency, backlog and pages per day."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from digitize.indicators import TOTAL, Report

_SHARES = (
    ("digitized_share", "Hồ sơ được số hóa (4.2)"),
    ("e_result_share", "Kết quả điện tử (4.1)"),
    ("reuse_share", "Tái sử dụng dữ liệu (4.3)"),
)


def colours(report: Report) -> dict[str, str]:
    """One colour per agency in every chart; the total in black."""
    names = sorted({p.agency for p in report.days} | {p.agency for p in report.shares} - {TOTAL})
    palette = qualitative.Plotly
    return {name: palette[i % len(palette)] for i, name in enumerate(names)} | {TOTAL: "#222222"}


def shares_chart(report: Report, target: float) -> tuple[str, go.Figure]:
    figure = make_subplots(rows=1, cols=3, subplot_titles=[title for _, title in _SHARES], shared_yaxes=True)
    agencies = sorted({p.agency for p in report.shares}, key=lambda a: (a == TOTAL, a))
    colour = colours(report)
    for column, (key, _) in enumerate(_SHARES, start=1):
        for agency in agencies:
            points = [p for p in report.shares if p.agency == agency]
            figure.add_trace(
                go.Scatter(
                    x=[p.period for p in points],
                    y=[None if getattr(p, key) is None else getattr(p, key) * 100 for p in points],
                    name=agency,
                    legendgroup=agency,
                    showlegend=column == 1,
                    mode="lines+markers",
                    line={"color": colour[agency], "dash": "dash" if agency == TOTAL else "solid"},
                    customdata=[p.dossiers for p in points],
                    hovertemplate="%{x}: %{y:.2f} % of %{customdata} dossiers",
                ),
                row=1,
                col=column,
            )
        figure.add_hline(y=target * 100, line_dash="dot", line_color="green", row=1, col=column)
    figure.update_yaxes(range=[0, 105], ticksuffix=" %")
    figure.update_xaxes(type="category")
    figure.update_layout(
        title=f"Tỷ lệ theo {_unit(report.by)} và cơ quan (mục tiêu {target:.0%})", height=420
    )
    return "shares", figure


def backlog_chart(report: Report) -> tuple[str, go.Figure]:
    days = [p for p in report.days if p.agency == TOTAL]
    figure = go.Figure()
    for key, name in (
        ("in_progress", "Đang xử lý (in progress)"),
        ("needs_review", "Chờ kiểm tra (needs review)"),
    ):
        figure.add_trace(
            go.Scatter(
                x=[p.day.isoformat() for p in days],
                y=[getattr(p, key) for p in days],
                name=name,
                mode="lines+markers",
                stackgroup="backlog",
            )
        )
    figure.update_layout(title="Tồn đọng cuối mỗi ngày (backlog at the end of each day)", height=360)
    return "backlog", figure


def pages_chart(report: Report) -> tuple[str, go.Figure]:
    figure = go.Figure()
    colour = colours(report)
    for agency in sorted({p.agency for p in report.days if p.agency != TOTAL}):
        days = [p for p in report.days if p.agency == agency]
        figure.add_trace(
            go.Bar(
                x=[p.day.isoformat() for p in days],
                y=[p.pages for p in days],
                name=agency,
                marker_color=colour[agency],
            )
        )
    figure.update_layout(title="Trang số hóa mỗi ngày (pages digitized per day)", barmode="stack", height=360)
    return "pages", figure


def _unit(by: str) -> str:
    return {"day": "ngày", "week": "tuần", "month": "tháng"}[by]
