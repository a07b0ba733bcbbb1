"""Logs a person or a collector reads later: every line has the time (ISO 8601, UTC), the level, the process
(`worker` identity or `api`), and, where there is one, the item and the event's name.

`event(log, level, name, message, **fields)` logs one event with its fields; `configure(kind, json_lines)`
sets the root handler once at the edge (`digitize worker`, `digitize serve`): text lines by default, JSON
lines with `--log-json` for a collector (Loki, Elasticsearch). Never log personal data or client text: log
ids, statuses, classes of errors.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

_FIELDS = "sohoa_fields"


def event(log: logging.Logger, level: int, name: str, message: str, **fields: Any) -> None:
    """One event: `name` (e.g. item.finished) and its fields travel with the record."""
    log.log(level, message, extra={_FIELDS: {"event": name, **fields}})


class _Common(logging.Filter):
    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def filter(self, record: logging.LogRecord) -> bool:
        record.process_name = self.process
        fields = getattr(record, _FIELDS, {})
        record.fields_text = " ".join(f"{k}={v}" for k, v in fields.items())
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "process": getattr(record, "process_name", ""),
            "pid": record.process,
            **getattr(record, _FIELDS, {}),
            "message": record.getMessage(),
        }
        if record.exc_info:  # the class only: a traceback may quote client text or paths
            line["error"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
        return json.dumps(line, ensure_ascii=False)


class TextLines(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(process_name)s %(name)s %(fields_text)s %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        """One line; of an exception only its class (a traceback may quote client text or paths)."""
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        plain = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(plain) + (f" error={error}" if error else "")


def configure(process: str, json_lines: bool = False, level: int = logging.INFO) -> None:
    """The root handler, once per process, at the edge."""
    handler = logging.StreamHandler()
    handler.addFilter(_Common(process or f"pid{os.getpid()}"))
    handler.setFormatter(JsonLines() if json_lines else TextLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
