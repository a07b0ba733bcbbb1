"""Register numbering: breaks are flagged; a weak number confirmed by both neighbours is accepted."""

from __future__ import annotations

from digitize.config import ExtractConfig
from digitize.extract.validate import check_numbering
from digitize.model import FieldStatus, FieldValue, Record


def row(number: str, confidence: float = 0.95) -> Record:
    config = ExtractConfig()
    status = FieldStatus.ACCEPTED if confidence >= config.accept_threshold else FieldStatus.NEEDS_REVIEW
    reason = "" if status is FieldStatus.ACCEPTED else f"confidence {confidence:.2f} under the threshold 0.80"
    fv = FieldValue(number, number, confidence, 1, (0, 0, 1, 1), status, reason, "table_cell")
    return Record("birth", {"registration_number": fv})


def statuses(records: list[Record]) -> list[str]:
    return [str(r.fields["registration_number"].status) for r in check_numbering(records, ExtractConfig())]


def test_a_weak_number_between_its_neighbours_is_confirmed() -> None:
    checked = check_numbering([row("88"), row("89", 0.69), row("90")], ExtractConfig())
    middle = checked[1].fields["registration_number"]
    assert middle.status is FieldStatus.ACCEPTED and "confirmed by the numbers" in middle.reason
    assert middle.confidence >= 0.8


def test_a_weak_number_is_not_confirmed_by_one_neighbour_or_a_gap() -> None:
    assert statuses([row("88"), row("89", 0.69)]) == ["accepted", "needs_review"]
    assert statuses([row("88"), row("89", 0.69), row("91")]) == ["accepted", "needs_review", "needs_review"]


def test_a_break_in_the_sequence_is_flagged() -> None:
    checked = check_numbering([row("12"), row("14"), row("15")], ExtractConfig())
    assert "does not follow 12" in checked[1].fields["registration_number"].reason
