"""Form specifications of civil-status extracts (Law on Civil Status 2014; Circular 04/2020/TT-BTP forms).

One spec per record type: birth (art. 14), death, marriage (art. 17). Labels are those printed on the
extract forms; sections resolve labels that repeat (the parents' "Năm sinh", the spouses' "Dân tộc").
"""

from __future__ import annotations

from digitize.extract.forms import ANY, FormSpec, Label

_REGISTRATION = (
    Label("Ngày, tháng, năm đăng ký", {ANY: "registration_date"}, "date", opens="registration"),
    Label("Số", {"registration": "registration_number"}, "number"),
    Label("Quyển số", {ANY: "book_number"}, "book"),
    Label("Ghi bằng chữ", {"child": "date_of_birth_in_words"}, "spelled_date"),
)

BIRTH = FormSpec(
    kind="birth",
    start_section="child",
    labels=(
        Label("Họ, chữ đệm, tên", {"child": "full_name"}, "name"),
        Label("Họ, chữ đệm, tên người mẹ", {ANY: "mother_full_name"}, "name", opens="mother"),
        Label("Họ, chữ đệm, tên người cha", {ANY: "father_full_name"}, "name", opens="father"),
        Label("Ngày, tháng, năm sinh", {"child": "date_of_birth"}, "date"),
        Label("Giới tính", {"child": "sex"}, "sex"),
        Label(
            "Dân tộc",
            {"child": "ethnicity", "mother": "mother_ethnicity", "father": "father_ethnicity"},
            "ethnicity",
        ),
        Label(
            "Quốc tịch",
            {"child": "nationality", "mother": "mother_nationality", "father": "father_nationality"},
            "nationality",
        ),
        Label("Nơi sinh", {"child": "place_of_birth"}),
        Label("Quê quán", {"child": "hometown"}),
        Label("Số định danh cá nhân", {"child": "personal_id"}, "personal_id"),
        Label("Năm sinh", {"mother": "mother_birth_year", "father": "father_birth_year"}, "year"),
        Label("Nơi cư trú", {"mother": "mother_residence", "father": "father_residence"}),
        Label("Người đi khai sinh", {ANY: "declarant_full_name"}, "name", opens="registration"),
        Label("Nơi đăng ký khai sinh", {ANY: "registration_office"}, opens="registration"),
        *_REGISTRATION,
    ),
)

DEATH = FormSpec(
    kind="death",
    start_section="deceased",
    labels=(
        Label("Họ, chữ đệm, tên", {"deceased": "deceased_full_name"}, "name"),
        Label("Ngày, tháng, năm sinh", {"deceased": "deceased_date_of_birth"}, "date"),
        Label("Giới tính", {"deceased": "deceased_sex"}, "sex"),
        Label("Dân tộc", {"deceased": "deceased_ethnicity"}, "ethnicity"),
        Label("Quốc tịch", {"deceased": "deceased_nationality"}, "nationality"),
        Label("Số định danh cá nhân", {"deceased": "deceased_personal_id"}, "personal_id"),
        Label("Nơi cư trú cuối cùng", {"deceased": "deceased_residence"}),
        Label("Ngày, tháng, năm chết", {ANY: "date_of_death"}, "date"),
        Label("Nơi chết", {ANY: "place_of_death"}),
        Label("Nguyên nhân chết", {ANY: "cause_of_death"}),
        Label("Người đi khai tử", {ANY: "declarant_full_name"}, "name", opens="registration"),
        Label("Nơi đăng ký khai tử", {ANY: "registration_office"}, opens="registration"),
        *_REGISTRATION,
    ),
)


def _spouse(prefix: str) -> dict[str, str]:
    return {"husband": f"husband_{prefix}", "wife": f"wife_{prefix}"}


MARRIAGE = FormSpec(
    kind="marriage",
    start_section="husband",
    labels=(
        Label("Thông tin người chồng", {}, opens="husband"),
        Label("Thông tin người vợ", {}, opens="wife"),
        Label("Họ, chữ đệm, tên", _spouse("full_name"), "name"),
        Label("Ngày, tháng, năm sinh", _spouse("date_of_birth"), "date"),
        Label("Dân tộc", _spouse("ethnicity"), "ethnicity"),
        Label("Quốc tịch", _spouse("nationality"), "nationality"),
        Label("Nơi cư trú", _spouse("residence")),
        Label("Số định danh cá nhân", _spouse("personal_id"), "personal_id"),
        Label("Nơi đăng ký kết hôn", {ANY: "registration_office"}, opens="registration"),
        *_REGISTRATION,
    ),
)
