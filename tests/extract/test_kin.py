"""Names a birth paper writes alike: the child's surname and a parent's, the declarant's and a parent's."""

from __future__ import annotations

from dataclasses import replace

from digitize.config import ExtractConfig
from digitize.extract.validate import validate_record
from digitize.model import FieldStatus, FieldValue, Record


def _name(value: str) -> FieldValue:
    return FieldValue(value, value.upper(), 0.92, 1, (0, 0, 1, 1), FieldStatus.ACCEPTED, "", "label")


def _statuses(**names: str) -> dict[str, str]:
    record = validate_record(Record("birth", {k: _name(v) for k, v in names.items()}), ExtractConfig())
    return {k: str(fv.status) for k, fv in record.fields.items()}


def test_a_surname_a_mark_from_the_fathers_and_no_parents_sends_both_to_review() -> None:
    """Liberation Sans Italic (a face no set uses): "VŨ MINH NGA" read "VÕ MINH NGA", accepted at 0.85,
    beside her father "VŨ MINH TUẤN"; both are surnames."""
    assert _statuses(
        full_name="Võ Minh Nga", father_full_name="Vũ Minh Tuấn", mother_full_name="Lý Thu Hà"
    ) == {
        "full_name": "needs_review",
        "father_full_name": "needs_review",
        "mother_full_name": "accepted",
    }


def test_a_surname_of_either_parent_or_of_nobody_near_is_left_alone() -> None:
    kin = {"father_full_name": "Vũ Minh Tuấn", "mother_full_name": "Lê Thu Hà"}
    for child in ("Vũ Minh Nga", "Lê Minh Nga", "Hoàng Minh Nga", "Ú Minh Nga"):  # "Ú": a hand misread
        assert set(_statuses(full_name=child, **kin).values()) == {"accepted"}, child


def test_a_declarant_written_almost_as_a_parent_sends_both_to_review() -> None:
    kin = {"full_name": "Vũ Minh Nga", "father_full_name": "Vũ Minh Tuấn", "mother_full_name": "Lê Thu Hà"}
    assert _statuses(declarant_full_name="Vũ Minh Tuân", **kin)["father_full_name"] == "needs_review"
    assert _statuses(declarant_full_name="Vũ Minh Tuấn", **kin)["declarant_full_name"] == "accepted"
    assert _statuses(declarant_full_name="Nguyễn Văn Bình", **kin)["declarant_full_name"] == "accepted"


def test_of_two_names_near_alike_the_one_already_in_review_is_the_misread_one() -> None:
    """A 200 dpi sample scan: the declarant read "Hoàng Gia Trưung" (in review for its odd syllable)
    beside the father "Hoàng Gia Trung": the father's name stays accepted. In review only for its
    confidence, the declarant may be the right one: then both go to review."""
    kin = {"full_name": "Hoàng Minh An", "father_full_name": "Hoàng Gia Trung"}
    for said, father in (
        ("uncommon name syllable(s) Trưung: check the tone marks on the paper", FieldStatus.ACCEPTED),
        ("low OCR confidence (0.31)", FieldStatus.NEEDS_REVIEW),
    ):
        fields = {k: _name(v) for k, v in kin.items()}
        declarant = _name("Hoàng Gia Trưung")
        fields["declarant_full_name"] = replace(declarant, status=FieldStatus.NEEDS_REVIEW, reason=said)
        record = validate_record(Record("birth", fields), ExtractConfig())
        assert record.fields["father_full_name"].status is father, said
        assert "written almost as" in record.fields["declarant_full_name"].reason
