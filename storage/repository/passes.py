"""Keying passes: what each clerk keyed for each field, double keying per batch, and the figures of keying.

Every decision made at the station is kept as a `KeyedValue` (clerk, value, action, keystrokes, time). A
batch keyed twice ("double") does not take one clerk's word: the field waits until a second clerk keyed it
without seeing the first one's value; equal keyings are accepted, different ones go to a third person, who
sees both and decides (the arbitration). The figures — records an hour, keystrokes a field, how often the
two keyings differ, how often the arbiter took the other value — come from these rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, select
from sqlalchemy.orm import Session

from digitize.errors import RequestError
from storage.repository.models import AuditEntry, BatchKeying, Document, FieldValueRow, KeyedValue
from storage.repository.work import as_utc

MODES = ("single", "double")
#: A pause longer than this between two keyings of a clerk is not keying time.
IDLE_GAP = timedelta(minutes=5)


def keying_mode(session: Session, batch: str) -> str:
    found = session.get(BatchKeying, batch)
    return found.mode if found else "single"


def set_mode(engine: Engine, batch: str, mode: str, actor: str) -> None:
    """Key a batch once or twice from now on (fields already decided stay as they are); audited."""
    if mode not in MODES:
        raise RequestError(f"unknown keying mode {mode!r}", fix=f"use one of {', '.join(MODES)}")
    with Session(engine) as session, session.begin():
        found = session.get(BatchKeying, batch)
        before = found.mode if found else "single"
        if found is None:
            session.add(BatchKeying(batch=batch, mode=mode, set_by=actor))
        else:
            found.mode, found.set_by = mode, actor
        detail = {"batch": batch, "before": before, "after": mode}
        session.add(
            AuditEntry(actor=actor, action="keying.mode", entity="batch", entity_id=batch, detail=detail)
        )


def not_keyed_by(staff: str) -> ColumnElement[bool]:
    """The field rows `staff` has not keyed (a filter for queries of `FieldValueRow`)."""
    keyed = select(KeyedValue.id).where(KeyedValue.field_id == FieldValueRow.id, KeyedValue.staff == staff)
    return ~keyed.exists()


def keys_of(session: Session, field_id: int) -> list[KeyedValue]:
    return list(
        session.scalars(select(KeyedValue).where(KeyedValue.field_id == field_id).order_by(KeyedValue.id))
    )


def same(a: KeyedValue, action: str, value: str | None) -> bool:
    """Two keyings agree: both illegible, or both the same value (accepting a shown value and typing it
    are the same keying; blank is the value None)."""
    return (a.action == "illegible") == (action == "illegible") and (
        action == "illegible" or a.value == value
    )


def add_key(
    session: Session,
    doc: Document,
    row: FieldValueRow,
    who: str,
    kept: tuple[str, str | None, int],
    moment: datetime,
    keying_pass: int,
) -> None:
    """Keep what `who` keyed for the field (action, canonical value, keystrokes); a clerk keying the same
    field again replaces their own keying."""
    action, value, keystrokes = kept
    mine = session.scalar(select(KeyedValue).where(KeyedValue.field_id == row.id, KeyedValue.staff == who))
    if mine is None:
        mine = KeyedValue(
            field_id=row.id, document_id=doc.id, record_index=row.record_index, batch=doc.batch, staff=who
        )
        session.add(mine)
    mine.keying_pass, mine.action, mine.value, mine.keystrokes, mine.at = (
        keying_pass,
        action,
        value,
        max(0, min(keystrokes, 10_000)),
        moment,
    )


# --- figures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClerkFigures:
    clerk: str
    batch: str  # "" for every batch together
    fields: int
    records: int
    hours: float  # time spent keying (pauses over IDLE_GAP left out)
    records_per_hour: float | None
    keystrokes_per_field: float | None
    compared: int  # fields this clerk keyed that a second clerk keyed too
    disagreed: int  # of those, keyed differently
    overruled: int  # arbitrated fields where the final value is not this clerk's

    @property
    def disagreement_rate(self) -> float | None:
        return self.disagreed / self.compared if self.compared else None


def keying_figures(engine: Engine, batch: str | None = None) -> list[ClerkFigures]:
    """Per clerk and batch, then per batch (clerk "*"), then everything (batch "")."""
    with Session(engine) as session:
        query = select(KeyedValue).order_by(KeyedValue.at)
        if batch:
            query = query.where(KeyedValue.batch == batch)
        keys = list(session.scalars(query))
        finals = {
            r.id: r
            for r in session.scalars(
                select(FieldValueRow).where(FieldValueRow.id.in_({k.field_id for k in keys}))
            )
        }
    by_field: dict[int, list[KeyedValue]] = defaultdict(list)
    for k in keys:
        by_field[k.field_id].append(k)
    groups: dict[tuple[str, str], list[KeyedValue]] = defaultdict(list)
    for k in keys:
        for group in ((k.staff, k.batch), ("*", k.batch), ("*", "")):
            groups[group].append(k)
    return [_figures(clerk, b, ks, by_field, finals) for (clerk, b), ks in sorted(groups.items())]


def _figures(
    clerk: str,
    batch: str,
    keys: list[KeyedValue],
    by_field: dict[int, list[KeyedValue]],
    finals: dict[int, FieldValueRow],
) -> ClerkFigures:
    typed = [k for k in keys if k.keying_pass in (1, 2)]
    hours = _hours(keys)
    records = len({(k.document_id, k.record_index) for k in typed})
    pairs = [k for k in typed if sum(1 for o in by_field[k.field_id] if o.keying_pass in (1, 2)) == 2]
    disagreed = [k for k in pairs if not _agrees(k, by_field)]
    arbitrated = [k for k in typed if any(o.keying_pass == 3 for o in by_field[k.field_id])]
    overruled = [k for k in arbitrated if (f := finals.get(k.field_id)) is not None and f.value != k.value]
    return ClerkFigures(
        clerk,
        batch,
        len(typed),
        records,
        round(hours, 3),
        round(records / hours, 1) if hours else None,
        round(sum(k.keystrokes for k in typed) / len(typed), 2) if typed else None,
        len(pairs),
        len(disagreed),
        len(overruled),
    )


def _agrees(k: KeyedValue, by_field: dict[int, list[KeyedValue]]) -> bool:
    """Whether the other clerk's keying of the same field is the same as this one."""
    other = next((o for o in by_field[k.field_id] if o.keying_pass in (1, 2) and o.staff != k.staff), None)
    return other is None or same(other, k.action, k.value)


def _hours(keys: list[KeyedValue]) -> float:
    """Keying time per clerk summed: the gaps between a clerk's consecutive keyings, pauses left out."""
    spent = timedelta()
    last: dict[str, datetime] = {}
    for k in sorted(keys, key=lambda k: as_utc(k.at)):
        moment = as_utc(k.at)
        if k.staff in last and moment - last[k.staff] <= IDLE_GAP:
            spent += moment - last[k.staff]
        last[k.staff] = moment
    return spent.total_seconds() / 3600
