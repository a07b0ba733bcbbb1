"""What the routes need, built once by `web.app.serving` and passed to every router."""

from __future__ import annotations

from dataclasses import dataclass

from digitize.config import Config
from web.guard import RateLimiter
from workers.jobs import Storage
from workers.queue import JobQueue


@dataclass
class ApiContext:
    config: Config
    storage: Storage
    queue: JobQueue
    limiter: RateLimiter
