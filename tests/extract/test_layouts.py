"""Layouts the generator did not draw when these rules were written, on synthetic OCR lines (no Tesseract):
values typed under their labels, forms printed as a ruled grid, dust between a label and its value, and a
place whose last line was lost. Found by drawing the generated forms in other layouts (session 13)."""

from __future__ import annotations

from dataclasses import replace

from digitize.extract import extract_records
from digitize.model import DocumentType, FieldStatus, FieldValue, OcrWord, Record
from tests.extract.test_labels import CONFIG, accepted, page, read


def test_a_value_under_its_label_goes_on_where_it_wraps() -> None:
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        [
            "Nơi sinh:",
            [(160, "Trạm Y tế xã Bảo Đài, xã Bảo Đài, huyện Lục Nam,")],
            [(160, "tỉnh Bắc Giang")],
            "Giới tính: Nam",
        ],
    )
    place = "Trạm Y tế xã Bảo Đài, xã Bảo Đài, huyện Lục Nam, tỉnh Bắc Giang"
    assert accepted(record, "place_of_birth") == place


def _with_speck(lines: list[str | list[tuple[int, str]]], after_row: int) -> Record:
    """The lines, and a speck of dust read as "l" far to the right just under line `after_row`."""
    base = page(lines)
    y = after_row * 60 + 48
    speck = OcrWord("l", (1470, y, 1478, y + 8), 0.4, (0, 1, after_row))
    words = list(base.words)
    cut = next(i for i, w in enumerate(words) if w.line_key[2] > after_row)
    [record] = extract_records(
        DocumentType.BIRTH_REGISTRATION, [replace(base, words=(*words[:cut], speck, *words[cut:]))], CONFIG
    )
    return record


def test_a_speck_between_a_label_and_the_value_under_it_is_not_the_value() -> None:
    # a value under its label was taken from a line of dust ("l -") read between them
    record = _with_speck(
        ["Họ, chữ đệm, tên người mẹ:", [(160, "NGUYỄN THỊ HOA")], "Năm sinh: 1990"], after_row=0
    )
    assert accepted(record, "mother_full_name") == "Nguyễn Thị Hoa"


def test_a_form_printed_as_a_ruled_grid_reads_each_cell() -> None:
    # the grid's rules are read as "|"; a label without a colon after one stands in a cell of its own
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        ["| Giới tính | Nam | Dân tộc | Kinh | Quốc tịch | Việt Nam |", "| Họ, chữ đệm, tên | TRẦN VĂN AN |"],
    )
    assert [accepted(record, f) for f in ("sex", "ethnicity", "nationality", "full_name")] == [
        "Nam",
        "Kinh",
        "Việt Nam",
        "Trần Văn An",
    ]


def test_a_place_ending_with_a_comma_has_lost_its_rest() -> None:
    # the province was on a line the reader did not join: the district alone names one, so the parser
    # completed it and the shortened place was accepted
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        ["Nơi sinh: Trạm Y tế phường Hòa Khánh Bắc, phường Hòa Khánh Bắc, quận Liên Chiểu,", "Dân tộc: Kinh"],
    )
    fv = record.fields["place_of_birth"]
    assert fv.status is FieldStatus.NEEDS_REVIEW and "comma" in fv.reason
    assert accepted(record, "ethnicity") == "Kinh"


def test_a_label_alone_on_its_line_is_not_the_start_of_a_longer_wording() -> None:
    # "Nơi đăng ký:" alone on its line was taken for "Nơi đăng ký thường trú" (a residence): the fuzzy
    # search aligned the short line inside the long wording and scored it whole
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        [
            "Họ và tên mẹ: LÝ MINH TRANG",
            "Nơi đăng ký:",
            [(160, "Ủy ban nhân dân phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng")],
            "Họ và tên:",
            [(160, "HỒ MINH VIỆT")],
        ],
    )
    office = "Ủy ban nhân dân phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng"
    assert accepted(record, "registration_office") == office
    assert record.value("mother_residence") is None
    assert record.value("mother_full_name") == "Lý Minh Trang"  # "Họ và tên:" is not "Họ và tên mẹ"


def test_a_long_label_tail_runs_to_its_colon_but_a_value_before_a_colon_is_no_tail() -> None:
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        [
            "Số định danh cá nhân của người được khai sinh: 036215012345",
            "Họ và tên người mẹ TRẦN THỊ LAN Năm sinh: 1990",
        ],
    )
    pid = record.fields["personal_id"]
    assert pid.value == "036215012345" and pid.status is FieldStatus.NEEDS_REVIEW  # an unknown tail
    assert record.value("mother_full_name") == "Trần Thị Lan"


def test_a_row_of_labels_over_a_row_of_values_gives_each_label_the_value_under_it() -> None:
    # the whole row of values went to the last label ("1990 Kinh Việt Nam" as the nationality)
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        [
            "Họ, chữ đệm, tên người mẹ: TRẦN THỊ LAN",
            [(0, "Năm sinh:"), (600, "Dân tộc:"), (1200, "Quốc tịch:")],
            [(40, "1990"), (640, "Kinh"), (1240, "Việt Nam")],
            "Nơi cư trú: xóm 2, xã Hải Minh, huyện Hải Hậu, tỉnh Nam Định",
        ],
    )
    values = [record.value(f"mother_{f}") for f in ("birth_year", "ethnicity", "nationality")]
    assert values == ["1990", "Kinh", "Việt Nam"]
    assert accepted(record, "mother_nationality") == "Việt Nam"


def test_a_value_under_its_label_before_the_next_label_on_its_line() -> None:
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        [
            "Đăng ký khai sinh tại: Ủy ban nhân dân xã Hải Minh, huyện Hải Hậu, tỉnh Nam Định",
            "Số:",
            "45, ngày 20/03/2015",
        ],
    )
    assert (record.value("registration_number"), record.value("registration_date")) == ("45", "2015-03-20")


def test_numbers_of_a_face_whose_ones_read_as_sevens_are_all_distrusted() -> None:
    # values in Noto Sans Italic: every 1 read as 7 ("7994" for 1994), and the registration number 111
    # read as 771 was accepted; two impossible years say the face's figures are misread alike
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        [
            "Số: 771",
            "Họ, chữ đệm, tên: TRẦN VĂN AN",
            "Họ, chữ đệm, tên người mẹ: LÊ THỊ HOA",
            "Năm sinh: 7994 Dân tộc: Kinh Quốc tịch: Việt Nam",
            "Họ, chữ đệm, tên người cha: TRẦN VĂN BÌNH",
            "Năm sinh: 7990 Dân tộc: Kinh Quốc tịch: Việt Nam",
            "Nơi cư trú: xóm 7, xã Hải Minh, huyện Hải Hậu, tỉnh Nam Định",
        ],
    )
    number = record.fields["registration_number"]
    assert number.value == "771" and number.status is FieldStatus.NEEDS_REVIEW, number
    assert accepted(record, "father_residence") is None  # its hamlet's number is as likely misread
    assert accepted(record, "mother_ethnicity") == "Kinh"  # what is not a number stays accepted


def test_two_second_readings_that_disagree_distrust_the_documents_other_numbers() -> None:
    from digitize.extract import SECOND_READING_DISAGREES, distrust_misread_figures

    def fv(value: str, reason: str = "") -> FieldValue:
        status = FieldStatus.NEEDS_REVIEW if reason else FieldStatus.ACCEPTED
        return FieldValue(value, value, 0.9, 1, (0, 0, 9, 9), status, reason)

    fields = {
        "registration_number": fv("771"),
        "date_of_death": fv("2012-02-10", f"{SECOND_READING_DISAGREES} 13210022012"),
        "deceased_personal_id": fv("048048163554", f"{SECOND_READING_DISAGREES} 046046163554"),
        "registration_date": fv("2012-02-23"),
        "deceased_ethnicity": fv("Kinh"),
    }
    checked = distrust_misread_figures([Record("death", fields)], CONFIG)[0].fields
    statuses = [checked[n].status for n in ("registration_number", "registration_date", "deceased_ethnicity")]
    assert statuses == [FieldStatus.NEEDS_REVIEW, FieldStatus.NEEDS_REVIEW, FieldStatus.ACCEPTED]
    one = {**fields, "deceased_personal_id": fv("048048163554")}  # one slip among the numbers: kept
    kept = distrust_misread_figures([Record("death", one)], CONFIG)[0].fields
    assert kept["registration_number"].status is FieldStatus.ACCEPTED


def test_names_misread_in_a_face_whose_tones_read_apart_distrust_the_documents_other_names() -> None:
    # DejaVu Sans Mono: "Nguyêñ", "Quôc" beside "Ngô Bảo Yên" accepted for "Yến" (the tone lost whole)
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        [
            "Số: 45",
            "Họ, chữ đệm, tên: NGUYÊÑ VĂN AN",
            "Ngày, tháng, năm sinh: 29/11/2015",
            "Họ, chữ đệm, tên người mẹ: NGÔ BẢO YÊN",
            "Dân tộc: Kinh",
            "Họ, chữ đệm, tên người cha: NGUYÊÑ QUÔC HUY",
        ],
    )
    mother = record.fields["mother_full_name"]
    assert mother.value == "Ngô Bảo Yên" and mother.status is FieldStatus.NEEDS_REVIEW, mother
    # its figures too (a black-ink hand's 1932 read 1952 agreed with its second reading)
    assert [record.fields[n].status for n in ("registration_number", "date_of_birth")] == [
        FieldStatus.NEEDS_REVIEW
    ] * 2
    assert accepted(record, "mother_ethnicity") == "Kinh"


def test_figures_mostly_read_unsure_distrust_the_documents_names() -> None:
    """A death certificate in a neat black-ink hand (held-out seed 13700000): "Võ Thu Linh" read "Võ Thư
    Linh" at 0.97 and accepted, beside three of its four numbers read unsure or with a letter for a
    digit. Two unsure numbers of five, as a typed page's figures the two models read otherwise, keep its
    names."""
    from digitize.extract import distrust_unsure_figures

    def fv(value: str, reason: str = "", raw: str = "") -> FieldValue:
        status = FieldStatus.NEEDS_REVIEW if reason else FieldStatus.ACCEPTED
        return FieldValue(value, raw or value, 0.97, 1, (0, 0, 9, 9), status, reason)

    fields = {
        "registration_number": fv("18"),
        "deceased_full_name": fv("Võ Thư Linh"),
        "deceased_date_of_birth": fv("1943-07-05", "low OCR confidence (0.40)", "5/7/1943"),
        "date_of_death": fv("2015-09-14", "a letter read for a figure ('O9')", "14 tháng O9 năm 2015"),
        "registration_date": fv("2013-09-30", "low OCR confidence (0.00)", "30/9/2013"),
        "deceased_ethnicity": fv("Thái"),
    }
    checked = distrust_unsure_figures([Record("death", fields)], CONFIG)[0].fields
    name = checked["deceased_full_name"]
    assert name.status is FieldStatus.NEEDS_REVIEW and "3 of 4 numbers" in name.reason, name
    assert checked["registration_number"].status is FieldStatus.NEEDS_REVIEW
    assert checked["deceased_ethnicity"].status is FieldStatus.ACCEPTED  # a closed list's entry stays
    typed = {**fields, "date_of_death": fv("2015-09-14", raw="14/09/2015"), "book_number": fv("01/2013")}
    kept = distrust_unsure_figures([Record("death", typed)], CONFIG)[0].fields
    assert kept["deceased_full_name"].status is FieldStatus.ACCEPTED


def test_dates_and_ids_no_paper_holds_distrust_the_documents_other_numbers() -> None:
    """A register page in a black-ink hand: "48/01/2020", 11-digit IDs. Beside them "28/01/2020" (for
    28/07) and "01/08/2020" (for 07/08) were accepted: the same hand's figures, misread alike."""
    from digitize.extract import distrust_misread_figures
    from digitize.extract.normalize import full_date, personal_id

    def fv(raw: str, kind: str) -> FieldValue:
        n = full_date(raw) if kind == "date" else personal_id(raw)
        status = FieldStatus.ACCEPTED if n.ok else FieldStatus.NEEDS_REVIEW
        return FieldValue(n.value, raw, 0.95, 1, (0, 0, 9, 9), status, n.reason)

    rows = [
        {"date_of_birth": fv("48/01/2020", "date"), "personal_id": fv("00220616188", "id")},
        {"date_of_birth": fv("28/01/2020", "date"), "personal_id": fv("01032030613", "id")},
        {"date_of_birth": fv("01/08/2020", "date"), "personal_id": fv("010320445988", "id")},
        {"date_of_birth": fv("05/02/2020", "date"), "personal_id": fv("010220615801", "id")},
    ]
    checked = distrust_misread_figures([Record("birth", r) for r in rows], CONFIG)
    assert [r.fields["date_of_birth"].status for r in checked[1:]] == [FieldStatus.NEEDS_REVIEW] * 3
    assert "3 numbers no paper holds" in checked[1].fields["date_of_birth"].reason
    ids_read = [
        rows[0] | {"personal_id": rows[2]["personal_id"]},
        rows[1] | {"personal_id": rows[3]["personal_id"]},
    ]
    one = [Record("birth", r) for r in [*ids_read, *rows[2:]]]
    kept = distrust_misread_figures(one, CONFIG)  # a slip among eight numbers is a slip
    assert kept[1].fields["date_of_birth"].status is FieldStatus.ACCEPTED


def test_entry_numbers_read_with_letters_count_as_figures_no_paper_holds() -> None:
    """The same page read again cell by cell: its IDs came out 12 digits long, but the entry numbers
    read "t0", "t4", "q2", "u3", "th" (a hand's strokes before each figure) still say its figures are
    misread, and "28/01/2020" for 28/07 is not accepted beside them."""
    from digitize.extract import distrust_misread_figures
    from digitize.extract.normalize import full_date, registration_number

    def fv(raw: str, kind: str) -> FieldValue:
        n = full_date(raw) if kind == "date" else registration_number(raw)
        status = FieldStatus.ACCEPTED if n.ok else FieldStatus.NEEDS_REVIEW
        return FieldValue(n.value, raw, 0.95, 1, (0, 0, 9, 9), status, n.reason)

    rows = [("t0", "20/01/2020"), ("t4", "28/01/2020"), ("q2", "01/08/2020"), ("th", "05/02/2020")]
    records = [
        Record("birth", {"registration_number": fv(n, "n"), "date_of_birth": fv(d, "date")}) for n, d in rows
    ]
    checked = distrust_misread_figures(records, CONFIG)
    assert {r.fields["date_of_birth"].status for r in checked} == {FieldStatus.NEEDS_REVIEW}


def test_marks_read_apart_distrust_a_pages_places_that_no_list_checks() -> None:
    """DejaVu Sans Mono on a death book: its marks read apart ("Tram Y tê“xã Tân Hòa", "Bùi Văn Đat"), and
    "Tai nhà riêng" (for "Tại") was accepted: a place no unit list checks, its tone lost whole. ("Tai"
    opening a place now goes to review by itself; a tone lost further on, "cua" for "của", does not.)"""
    records = extract_records(
        DocumentType.DEATH_REGISTER_PAGE,
        [
            page(
                [
                    "SỔ ĐĂNG KÝ KHAI TỬ",
                    "Quyển số: 01/2019",
                    "Số: 5 Ngày đăng ký: 15/03/2019",
                    "Họ, chữ đệm, tên người chết: BÙI VĂN ĐAT",
                    "Nơi chết: Tram Y tê“xã Tân Hòa",
                    "Số: 6 Ngày đăng ký: 16/03/2019",
                    "Họ, chữ đệm, tên người chết: HỒ` VĂN AN",
                    "Nơi chết: Nhà riêng cua con trai",
                    "Số: 7 Ngày đăng ký: 17/03/2019",
                    "Họ, chữ đệm, tên người chết: LÊ VĂN BA",
                    "Nơi chết: xóm 2, xã Tân Hòa, huyện Vũ Thư, tỉnh Thái Bình",
                ]
            )
        ],
        CONFIG,
    )
    assert [r.value("place_of_death") for r in records][1:] == [
        "Nhà riêng cua con trai",
        "xóm 2, xã Tân Hòa, huyện Vũ Thư, tỉnh Thái Bình",
    ]
    assert records[1].fields["place_of_death"].status is FieldStatus.NEEDS_REVIEW
    assert "misread alike" in records[1].fields["place_of_death"].reason
    assert records[2].fields["place_of_death"].status is FieldStatus.ACCEPTED  # checked against the units


def test_places_wrapped_in_two_value_columns_each_go_on_in_their_own_column() -> None:
    """Tuning part, a 2016 marriage certificate typewritten: both spouses' places wrapped, and the line
    under them ran from the wife's rest into the husband's with no wider gap than between its words."""
    wife, husband = "xóm 7, xã Cẩm Vũ, huyện", "xóm 4, xã Cẩm Vũ, huyện"
    record = read(
        DocumentType.MARRIAGE_REGISTRATION,
        [
            "GIẤY CHỨNG NHẬN KẾT HÔN",
            [(1000, "Bên nữ"), (1500, "Bên nam")],
            [(0, "Họ, chữ đệm, tên:"), (900, "BÙI THỊ LINH"), (1420, "NGUYỄN THANH HIẾU")],
            [(0, "Nơi cư trú:"), (900, wife), (1420, husband)],
            [(900, "Cẩm Giàng, tỉnh Hải Dương"), (1420, "Cẩm Giàng, tỉnh Hải Dương")],
        ],
    )
    assert record.value("wife_residence") == "xóm 7, xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương"
    assert record.value("husband_residence") == "xóm 4, xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương"


def test_one_word_misread_wherever_it_is_written_is_one_sign_not_many() -> None:
    """FreeSans on a register page of blocks (a face neither part draws): "huyện Lục Nam" read "Luc" in all
    four residences sent every value of the page to review, as though four words were misread. One word
    misread in every place it is written is one slip; two different words are a face misread alike."""
    from digitize.extract import distrust_misread_letters

    def fv(value: str, reason: str = "") -> FieldValue:
        return FieldValue(value, value, 0.9, 1, (0, 0, 9, 9), FieldStatus.ACCEPTED, reason)

    residences = [f"xóm {n}, xã Bảo Đài, huyện Luc Nam, tỉnh Bắc Giang" for n in (1, 2, 3)]
    records = [
        Record("death", {"registration_number": fv(str(n)), "deceased_residence": fv(place)})
        for n, place in enumerate(residences, 1)
    ]
    said = "not written with Vietnamese letters (Luc): misread"
    one_word = [_with_reason(r, "deceased_residence", said) for r in records]
    assert distrust_misread_letters(one_word, CONFIG) == one_word
    two_words = [*one_word[:2], _with_reason(records[2], "deceased_residence", said.replace("Luc", "Đai"))]
    checked = distrust_misread_letters(two_words, CONFIG)
    assert {r.fields["registration_number"].status for r in checked} == {FieldStatus.NEEDS_REVIEW}


def _with_reason(record: Record, name: str, reason: str) -> Record:
    return replace(record, fields={**record.fields, name: replace(record.fields[name], reason=reason)})
