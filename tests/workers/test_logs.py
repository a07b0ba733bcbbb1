"""Worker and API log lines carry time, level, process, event and item, as text or as JSON lines."""

from __future__ import annotations

import io
import json
import logging

import pytest

from workers import logs


@pytest.mark.parametrize("json_lines", [True, False])
def test_an_event_line_names_time_level_process_item_and_event(json_lines: bool) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        logs.configure("worker:host:42", json_lines=json_lines)
        out = io.StringIO()
        root.handlers[0].stream = out  # type: ignore[attr-defined]
        try:
            raise ValueError("Nguyễn Văn A, 036215012345")  # client text must not reach the log
        except ValueError:
            logs.event(logging.getLogger("sohoa.worker"), logging.WARNING, "item.failed", "failed", item=7)
            logging.getLogger("sohoa.worker").exception("unexpected")
        first, second = out.getvalue().splitlines()
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    if json_lines:
        line = json.loads(first)
        assert (line["level"], line["process"], line["event"], line["item"]) == (
            "warning",
            "worker:host:42",
            "item.failed",
            7,
        )
        assert line["time"].endswith("+00:00") and json.loads(second)["error"] == "ValueError"
    else:
        assert "WARNING worker:host:42 sohoa.worker event=item.failed item=7 failed" in first
        assert first[:4].isdigit() and "+00:00" in first
    assert "036215012345" not in out.getvalue()
