"""Form specifications of civil-status papers (Law on Civil Status 2014; Circulars 15/2015, 04/2020,
08a/2010, 05/2012, and the older decrees' wordings).

One spec per event: birth, death, marriage. Each label lists the wordings of every form version (since
2016: "Họ, chữ đệm, tên"; the 2010 era: "Họ và tên"; older papers: "Họ tên", "Sinh ngày", "Trú quán") and
the synonyms clerks write. Sections resolve labels that repeat (the parents' "Năm sinh", the spouses'
"Dân tộc") whichever parent comes first: a parent's name label opens that parent's section.
"""

from __future__ import annotations

from dataclasses import replace

from digitize.extract.labels import ANY, FormSpec, Label

NAME = (
    "Họ, chữ đệm, tên",
    "Họ, chữ đệm và tên",
    "Họ và tên",
    "Họ tên",
    "Họ, tên",
    "Họ và tên khai sinh",
    "Họ tên khai sinh",
    "Họ, chữ đệm, tên khai sinh",
    "Tên, họ",  # forms of before 2005
    "Tên khai sinh",
)


def whose_name(*whose: str) -> tuple[str, ...]:
    """Every wording of the name's label for another person than the paper's own: "Họ, chữ đệm và tên
    người mẹ", "Họ tên mẹ", … (the person said each way given, the longest first)."""
    bases = [n for n in NAME if "khai sinh" not in n]
    return tuple(f"{base} {who}" for who in reversed(whose) for base in bases)


def belonging(wordings: tuple[str, ...], *whose: str) -> tuple[str, ...]:
    """A person's detail labelled with whose it is: "Ngày sinh của vợ", "Nơi cư trú của người mẹ"."""
    return tuple(f"{w} của {who}" for who in whose for w in wordings)


def of_person(
    details: tuple[tuple[tuple[str, ...], str, str], ...], prefix: str, *whose: str
) -> tuple[Label, ...]:
    """Labels naming whose detail they are, each opening that person's section (the lines after them
    without "của …" are theirs too): (wordings, field, kind) per detail."""
    return tuple(
        Label(belonging(words, *whose), {ANY: f"{prefix}_{name}"}, kind, opens=prefix)
        for words, name, kind in details
    )


DATE_OF_BIRTH = (
    "Ngày, tháng, năm sinh",
    "Ngày tháng năm sinh",
    "Ngày sinh",
    "Sinh ngày",
    "Ngày, tháng, năm sinh bằng số",  # "(bằng số)", beside a date written in words
    "Ngày sinh bằng số",
)
SEX = (
    "Giới tính",
    "Giới",
    "Nam/Nữ",
    "Nam, nữ",
    "Nam hay nữ",
    "Phái",
    "Trai hay gái",
    "Con trai hay con gái",
    "Trai/Gái",
)
ETHNICITY = ("Dân tộc",)
NATIONALITY = ("Quốc tịch",)
PERSONAL_ID = (
    "Số định danh cá nhân",
    "Mã số định danh cá nhân",
    "Mã định danh cá nhân",
    "Mã định danh",
    "Số ĐDCN",
    "Số định danh",
)
ID_DOCUMENT = (
    "Giấy tờ tùy thân",
    "Giấy tờ tuỳ thân",
    "Số Giấy CMND/Hộ chiếu/Giấy tờ hợp lệ thay thế",
    "Số Giấy CMND/Hộ chiếu",
    "Số CMND",
    "Số chứng minh nhân dân",
    "Số CCCD",
)
RESIDENCE = (
    "Nơi cư trú",
    "Nơi thường trú/tạm trú",
    "Nơi đăng ký thường trú",
    "Nơi đăng ký hộ khẩu thường trú",
    "Hộ khẩu thường trú",
    "Nơi ĐKHK thường trú",
    "Nơi ĐKHKTT",
    "Nơi thường trú",
    "Nơi tạm trú",
    "Nơi ở hiện tại",
    "Nơi ở",
    "Trú quán",
    "Địa chỉ",
    "Chỗ ở hiện tại",
    "Chỗ ở",
)
BIRTH_YEAR = ("Năm sinh", "Sinh năm")
SPELLED = ("Ghi bằng chữ", "Bằng chữ", "Viết bằng chữ")
OFFICE = (
    "Nơi đăng ký",
    "Đăng ký tại",
    "Cơ quan đăng ký",
    "Đã được đăng ký tại",
)


#: A person's age and occupation on forms of before 2005: values no field holds, which end the value before
#: them on their line ("TRẦN THỊ LAN Nghề nghiệp: Nội trợ" is no name).
UNKEPT = Label(("Tuổi", "Nghề nghiệp", "Nghề"), {})


def _each(sections: dict[str, str], name: str) -> dict[str, str]:
    return {section: f"{prefix}{name}" for section, prefix in sections.items()}


def registration(event: str, start: str) -> tuple[Label, ...]:
    """Where, when and under which number an event was registered (shared by every form). A bare
    "Số: 45" at the top of a form (2010 era, beside "Quyển số") is the registration number too; the
    paper's own number ("Số: 206/TLKS-BS") is not."""
    verb = {"birth": "khai sinh", "death": "khai tử", "marriage": "kết hôn"}[event]
    short = {"birth": "ĐKKS", "death": "ĐKKT", "marriage": "ĐKKH"}[event]  # as clerks abbreviate them
    return (
        Label(
            (
                *(f"{w} {verb}" for w in OFFICE),
                f"Đăng ký {verb} tại",
                f"Đã được đăng ký {verb} tại",
                f"Nơi {short}",
                *OFFICE,
            ),
            {ANY: "registration_office"},
            opens="registration",
        ),
        Label(
            (
                "Ngày, tháng, năm đăng ký",
                "Ngày đăng ký",
                "Đăng ký ngày",
                f"Ngày đăng ký {verb}",
                f"Ngày, tháng, năm đăng ký {verb}",
                f"Đăng ký {verb} ngày",
            ),
            {ANY: "registration_date"},
            "date",
            opens="registration",
        ),
        Label(
            ("Số", "Số đăng ký", "Số sổ"), {ANY: "registration_number"}, "number", only_in=("registration",)
        ),
        Label(("Số", "Số đăng ký"), {ANY: "registration_number"}, "bare_number", only_in=(start,)),
        Label("ngày", {"registration": "registration_date"}, "date", only_in=("registration",)),
        Label(("Quyển số", "Sổ số"), {ANY: "book_number"}, "book"),
        Label(("Ghi chú", "Chú thích"), {}, opens="notes"),
        Label(("Thực hiện trích lục từ", "Trích lục từ"), {}, opens="notes"),
        Label(("Người ký trích lục", "Người ký giấy khai sinh", "Người thực hiện"), {}, opens="notes"),
    )


CHILD_PARENTS = {"child": "", "mother": "mother_", "father": "father_"}
PARENT_DETAILS = (
    ((*BIRTH_YEAR, *DATE_OF_BIRTH), "birth_year", "year"),
    (ETHNICITY, "ethnicity", "ethnicity"),
    (NATIONALITY, "nationality", "nationality"),
    (RESIDENCE, "residence", "text"),
)

BIRTH = FormSpec(
    kind="birth",
    start_section="child",
    labels=(
        Label((*NAME, *whose_name("người được khai sinh")), {"child": "full_name"}, "name"),
        Label(
            (*whose_name("mẹ", "người mẹ"), "Tên mẹ", "Mẹ"),
            {ANY: "mother_full_name"},
            "name",
            opens="mother",
        ),
        Label(
            (*whose_name("cha", "người cha", "bố", "người bố"), "Tên cha", "Cha", "Tên bố", "Bố"),
            {ANY: "father_full_name"},
            "name",
            opens="father",
        ),
        Label(
            DATE_OF_BIRTH,
            {"child": "date_of_birth", "mother": "mother_birth_year", "father": "father_birth_year"},
            "date",
        ),
        Label(SPELLED, {"child": "date_of_birth_in_words"}, "spelled_date"),
        Label(SEX, {"child": "sex"}, "sex"),
        Label(ETHNICITY, _each(CHILD_PARENTS, "ethnicity"), "ethnicity"),
        Label(NATIONALITY, _each(CHILD_PARENTS, "nationality"), "nationality"),
        Label(("Nơi sinh", "Sinh tại", "Nơi sinh ra"), {"child": "place_of_birth"}),
        # "Sinh ngày … tháng … năm … tại …" on forms of before 2005, the sentence or its next line: a word
        # this short is a label only in the child's part
        Label("Tại", {"child": "place_of_birth"}, only_in=("child",)),
        Label(("Quê quán", "Nguyên quán", "Quê"), {"child": "hometown"}),
        Label(PERSONAL_ID, {"child": "personal_id"}, "personal_id"),
        Label(BIRTH_YEAR, {"mother": "mother_birth_year", "father": "father_birth_year"}, "year"),
        Label(RESIDENCE, {"mother": "mother_residence", "father": "father_residence"}),
        *of_person(PARENT_DETAILS, "mother", "mẹ", "người mẹ"),
        *of_person(PARENT_DETAILS, "father", "cha", "người cha", "bố"),
        Label(
            (
                "Họ, chữ đệm, tên người đi khai sinh",
                "Họ và tên người đi khai sinh",
                "Người đi khai sinh",
                "Họ tên người đi khai sinh",
                "Người đi đăng ký khai sinh",
                "Họ và tên người đi đăng ký",
                "Người đi đăng ký",
                "Họ và tên người đứng khai",
                "Người đứng khai",
                "Người đi khai",
                "Người khai",
            ),
            {ANY: "declarant_full_name"},
            "name",
            opens="declarant",
        ),
        Label(("Quan hệ với người được khai sinh", "Quan hệ với người được đăng ký"), {}, opens="declarant"),
        UNKEPT,
        Label(ID_DOCUMENT, {}),
        *registration("birth", "child"),
    ),
)

DEATH = FormSpec(
    kind="death",
    start_section="deceased",
    labels=(
        Label(
            (
                *NAME,
                *whose_name("người chết", "người đã chết", "người mất", "người đã mất"),
                "Tên người chết",
            ),
            {"deceased": "deceased_full_name"},
            "name",
        ),
        Label(DATE_OF_BIRTH, {"deceased": "deceased_date_of_birth"}, "date"),
        Label(SEX, {"deceased": "deceased_sex"}, "sex"),
        Label(ETHNICITY, {"deceased": "deceased_ethnicity"}, "ethnicity"),
        Label(NATIONALITY, {"deceased": "deceased_nationality"}, "nationality"),
        Label(PERSONAL_ID, {"deceased": "deceased_personal_id"}, "personal_id"),
        Label(ID_DOCUMENT, {}),
        Label(
            (
                "Nơi cư trú cuối cùng",
                "Nơi thường trú/tạm trú cuối cùng",
                "Nơi thường trú cuối cùng",
                "Nơi cư trú trước khi chết",
                *RESIDENCE,
            ),
            {"deceased": "deceased_residence"},
        ),
        Label(
            (
                "Đã chết vào lúc",
                "Chết vào lúc",
                "Ngày, tháng, năm chết",
                "Ngày chết",
                "Chết ngày",
                "Thời gian chết",
                "Đã chết vào ngày",
                "Thời điểm chết",
                *(
                    "Đã mất vào lúc",
                    "Mất vào lúc",
                    "Ngày mất",
                    "Mất ngày",
                    "Đã mất vào ngày",
                    "Thời điểm mất",
                ),
                *("Chết lúc", "Mất lúc", "Đã qua đời vào lúc", "Qua đời lúc", "Ngày qua đời", "Qua đời ngày"),
            ),
            {ANY: "date_of_death"},
            "date",
            opens="death",
        ),
        Label(
            SPELLED,
            {"death": "date_of_death_in_words", "deceased": "deceased_date_of_birth_in_words"},
            "spelled_date",
        ),
        Label(
            ("Nơi chết", "Chết tại", "Nơi mất", "Mất tại", "Nơi qua đời", "Qua đời tại"),
            {ANY: "place_of_death"},
            opens="death",
        ),
        Label(
            ("Nguyên nhân chết", "Nguyên nhân tử vong", "Nguyên nhân qua đời", "Lý do chết", "Nguyên nhân"),
            {ANY: "cause_of_death"},
            "cause",
            opens="death",
        ),
        Label(("Giấy báo tử", "Số Giấy báo tử"), {}, opens="death"),
        Label(
            (
                "Họ, chữ đệm, tên người đi khai tử",
                "Họ và tên người đi khai tử",
                "Người đi khai tử",
                "Người đi đăng ký khai tử",
                "Họ và tên người đi đăng ký",
                "Người đi đăng ký",
                "Người khai",
            ),
            {ANY: "declarant_full_name"},
            "name",
            opens="declarant",
        ),
        Label(("Quan hệ với người chết", "Quan hệ với người đã chết"), {}, opens="declarant"),
        UNKEPT,
        *registration("death", "deceased"),
    ),
)

SPOUSES = {"husband": "husband_", "wife": "wife_"}
SPOUSE_DETAILS = (
    (DATE_OF_BIRTH, "date_of_birth", "date"),
    (ETHNICITY, "ethnicity", "ethnicity"),
    (NATIONALITY, "nationality", "nationality"),
    (RESIDENCE, "residence", "text"),
    (PERSONAL_ID, "personal_id", "personal_id"),
)

MARRIAGE = FormSpec(
    kind="marriage",
    start_section="husband",
    labels=(
        Label(
            ("Thông tin người chồng", "Bên chồng", "Người chồng", "Về bên chồng", "Chồng"),
            {},
            opens="husband",
        ),
        Label(("Thông tin người vợ", "Bên vợ", "Người vợ", "Về bên vợ", "Vợ"), {}, opens="wife"),
        Label(
            (*whose_name("chồng", "người chồng"), "Tên chồng"),
            {ANY: "husband_full_name"},
            "name",
            opens="husband",
        ),
        Label(
            (*whose_name("vợ", "người vợ"), "Tên vợ"),
            {ANY: "wife_full_name"},
            "name",
            opens="wife",
        ),
        Label(NAME, _each(SPOUSES, "full_name"), "name"),
        Label(DATE_OF_BIRTH, _each(SPOUSES, "date_of_birth"), "date"),
        Label(ETHNICITY, _each(SPOUSES, "ethnicity"), "ethnicity"),
        Label(NATIONALITY, _each(SPOUSES, "nationality"), "nationality"),
        Label(RESIDENCE, _each(SPOUSES, "residence")),
        Label(PERSONAL_ID, _each(SPOUSES, "personal_id"), "personal_id"),
        *of_person(SPOUSE_DETAILS, "husband", "chồng", "người chồng"),
        *of_person(SPOUSE_DETAILS, "wife", "vợ", "người vợ"),
        Label(ID_DOCUMENT, {}),
        UNKEPT,
        *registration("marriage", "husband"),
    ),
    columns=(
        ("Bên nữ", "wife"),
        ("Bên nam", "husband"),
        ("Người vợ", "wife"),
        ("Người chồng", "husband"),
        ("Thông tin người vợ", "wife"),
        ("Thông tin người chồng", "husband"),
        ("Vợ", "wife"),
        ("Chồng", "husband"),
    ),
)


def register_block(form: FormSpec) -> FormSpec:
    """An entry of a register book used since 2016: the certificate's labels, the number wherever it
    stands, and the registration date at the top of the entry without closing the person's part."""
    labels = tuple(
        Label(label.wordings, {ANY: "registration_number"}, "number")
        if label.field_in("registration") == "registration_number"
        else replace(label, opens=None)
        if label.opens == "registration"
        else label
        for label in form.labels
    )
    return replace(form, labels=(*labels, Label(("Trang số", "Tờ số"), {})))
