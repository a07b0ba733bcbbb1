"""The personal data repository: models, migrations, saving results and the reuse lookup."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import InterfaceError, OperationalError

from digitize.errors import TransientStorageError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def open_repository(url: str) -> Engine:
    """An engine on the repository, migrated to the newest schema."""
    engine = create_engine(url, future=True)
    if engine.url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as connection:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise TransientStorageError(
            f"cannot reach the repository database ({exc.orig})",
            fix="check storage.database_url and that the database is running",
        ) from None
    return engine


@contextmanager
def database_errors_as_transient(what: str) -> Iterator[None]:
    """A database that cannot be reached (or dropped the connection) is worth retrying, not a failure."""
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        raise TransientStorageError(
            f"the repository database failed while trying to {what} ({exc.__class__.__name__})",
            fix="check that the database is running; the page is retried",
        ) from None
