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


def test_neighbours_as_unsure_as_the_number_confirm_nothing() -> None:
    """Held-out seed 10700000 (spent), a marriage book page in a black-ink hand: 77, 78, 79 all read 17,
    18, 19 at 0.40, and the 18 was accepted, confirmed by two numbers misread as it was."""
    assert statuses([row("17", 0.4), row("18", 0.4), row("19", 0.4)]) == ["needs_review"] * 3
    assert statuses([row("17", 0.4), row("18", 0.4), row("19")]) == ["needs_review", "accepted", "accepted"]


def test_a_break_in_the_sequence_is_flagged() -> None:
    checked = check_numbering([row("12"), row("14"), row("15")], ExtractConfig())
    assert "does not follow 12" in checked[1].fields["registration_number"].reason


def _read(name: str, raw: str, value: str, confidence: float = 0.95) -> FieldValue:
    return FieldValue(value, raw, confidence, 1, (0, 0, 1, 1), FieldStatus.ACCEPTED, "", "label")


def test_numbers_read_with_letters_for_digits_make_every_number_of_the_document_suspect() -> None:
    """The writer's 5 read as 9 twice ("51" → "91", "52" → "92"): the second agrees with the first and
    is read with confidence, yet both are wrong. Letters read for digits elsewhere ("5O", "O5/O4/2021")
    say the numbers are handwriting, so none is accepted; the text fields are left as they were."""
    from digitize.extract import distrust_written_numbers

    written = Record(
        "birth",
        {
            "registration_number": _read("registration_number", "92", "92"),
            "date_of_birth": _read("date_of_birth", "O5/O4/2021", "2021"),
            "personal_id": _read("personal_id", "OO1821052901", "001821052901"),
            "ethnicity": _read("ethnicity", "Kinh", "Kinh"),
        },
    )
    checked = distrust_written_numbers([written], ExtractConfig())[0].fields
    assert checked["registration_number"].status is FieldStatus.NEEDS_REVIEW
    assert "look handwritten (2 read with letters for digits)" in checked["registration_number"].reason
    assert checked["ethnicity"].status is FieldStatus.ACCEPTED
    one_slip = Record(
        "birth", {**written.fields, "date_of_birth": _read("date_of_birth", "05/04/2021", "2021-04-05")}
    )
    kept = distrust_written_numbers([one_slip], ExtractConfig())[0].fields
    assert kept["registration_number"].status is FieldStatus.ACCEPTED  # one O for a 0 is a slip, not a hand


def test_numbers_suspect_as_handwriting_do_not_make_the_rest_of_the_page_unread() -> None:
    """Two numbers read with letters for digits on a typed page send its numbers to review, not its names."""
    from digitize.extract import distrust

    record = Record(
        "birth",
        {
            "registration_number": _read("registration_number", "67", "67"),
            "registration_date": _read("registration_date", "27I01/2023", "2023-01-27"),
            "date_of_birth": _read("date_of_birth", "27i05/2023", "2023-05-27"),
            "personal_id": _read("personal_id", "048323967401", "048323967401"),
            "full_name": _read("full_name", "LÝ HOÀI NHUNG", "Lý Hoài Nhung"),
            "mother_full_name": _read("mother_full_name", "VŨ BẢO THẢO", "Vũ Bảo Thảo"),
            "ethnicity": _read("ethnicity", "Kinh", "Kinh"),
        },
    )
    checked = distrust([record], ExtractConfig())[0].fields
    assert {n for n, fv in checked.items() if fv.status is FieldStatus.ACCEPTED} == {
        "full_name",
        "mother_full_name",
        "ethnicity",
    }


def _entry(number: str, registered: str, book: str = "01/2010") -> Record:
    def fv(value: str) -> FieldValue:
        return FieldValue(value, value, 0.96, 1, (0, 0, 9, 9), FieldStatus.ACCEPTED)

    return Record(
        "birth",
        {"registration_number": fv(number), "registration_date": fv(registered), "book_number": fv(book)},
    )


def test_a_registration_date_out_of_its_books_year_or_order_goes_to_review() -> None:
    """A book of 2010, DejaVu Serif: "12/3/2010" read "12/3/2019" at 0.96, the second reading agreeing.
    Entries are registered in the order they are numbered, in the book's year."""
    dates = ["2010-02-19", "2010-03-03", "2019-03-12", "2010-04-04", "2010-10-22"]
    checked = check_numbering([_entry(str(112 + i), d) for i, d in enumerate(dates)], ExtractConfig())
    third = checked[2].fields["registration_date"]
    assert third.status is FieldStatus.NEEDS_REVIEW and "2010" in third.reason
    assert [checked[i].fields["registration_date"].status for i in (0, 1, 4)] == [FieldStatus.ACCEPTED] * 3
    in_order = ["2015-01-02", "2015-01-02", "2015-03-12", "2015-12-30"]
    kept = check_numbering([_entry(str(i), d, "02/2015") for i, d in enumerate(in_order)], ExtractConfig())
    assert {r.fields["registration_date"].status for r in kept} == {FieldStatus.ACCEPTED}


def test_a_registration_date_before_the_one_above_it_goes_to_review() -> None:
    dates = ["2010-02-19", "2010-08-03", "2010-03-12", "2010-04-04"]  # 03/08 for 03/03
    checked = check_numbering([_entry(str(i), d) for i, d in enumerate(dates)], ExtractConfig())
    assert checked[1].fields["registration_date"].status is FieldStatus.NEEDS_REVIEW
    assert checked[0].fields["registration_date"].status is FieldStatus.ACCEPTED
    assert checked[3].fields["registration_date"].status is FieldStatus.ACCEPTED
