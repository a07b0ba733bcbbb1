"""What the register books of each event call their columns, and what an entry of each holds.

One book per event (birth, death, marriage). A ruled book's columns are matched by title, whatever their
order; a labelled book's entries are read like the event's certificate. The marriage books give each
spouse the same columns ("Ngày sinh", "Dân tộc", …): such a column belongs to the spouse of the heading
over it (`SPOUSE_HEADINGS`), or else to the spouse whose name column stands before it (`SPOUSE_COLUMN`).
"""

from __future__ import annotations

from dataclasses import dataclass

from digitize.extract.civil_status import BIRTH, DATE_OF_BIRTH, DEATH, MARRIAGE, register_block
from digitize.extract.labels import FormSpec

Columns = dict[str, tuple[tuple[str, ...], str]]

#: Birth books: field → (column titles as printed in the books of every period and province, normalizer)
BIRTH_COLUMNS: Columns = {
    "registration_number": (("Số", "Số thứ tự", "STT", "Số TT", "Số đăng ký", "Số sổ"), "number"),
    "registration_date": (
        ("Ngày đăng ký", "Ngày, tháng, năm đăng ký", "Ngày tháng năm đăng ký", "Ngày tháng đăng ký"),
        "date",
    ),
    "full_name": (
        (
            "Họ, chữ đệm, tên",
            "Họ và tên",
            "Họ tên",
            "Họ và tên người được khai sinh",
            "Họ tên người được khai sinh",
            "Họ, chữ đệm, tên người được khai sinh",
            "Họ và tên con",
        ),
        "name",
    ),
    "date_of_birth": (
        (
            "Ngày sinh",
            "Ngày, tháng, năm sinh",
            "Ngày tháng năm sinh",
            "Sinh ngày",
            "Ngày, tháng, năm sinh của con",
        ),
        "date",
    ),
    "sex": (("Giới tính", "Nam/Nữ", "Nam, nữ", "Nam hay nữ", "Phái", "Trai/Gái"), "sex"),
    "ethnicity": (("Dân tộc",), "ethnicity"),
    "nationality": (("Quốc tịch",), "nationality"),
    "personal_id": (
        ("Số định danh cá nhân", "Mã số định danh", "Mã số định danh cá nhân", "Số ĐDCN"),
        "personal_id",
    ),
    "mother_full_name": (
        (
            "Họ, chữ đệm, tên mẹ",
            "Họ và tên mẹ",
            "Họ tên mẹ",
            "Họ và tên người mẹ",
            "Họ, chữ đệm, tên người mẹ",
        ),
        "name",
    ),
    "father_full_name": (
        (
            "Họ, chữ đệm, tên cha",
            "Họ và tên cha",
            "Họ tên cha",
            "Họ và tên người cha",
            "Họ, chữ đệm, tên người cha",
        ),
        "name",
    ),
    "place_of_birth": (("Nơi sinh", "Sinh tại"), "text"),
    "notes": (("Ghi chú", "Chú thích"), "text"),
}
_NUMBER_AND_DATE: Columns = {
    "registration_number": BIRTH_COLUMNS["registration_number"],
    "registration_date": BIRTH_COLUMNS["registration_date"],
}
_NOTES: Columns = {"notes": BIRTH_COLUMNS["notes"]}
#: Death books.
DEATH_COLUMNS: Columns = {
    **_NUMBER_AND_DATE,
    "deceased_full_name": (
        (
            "Họ và tên người chết",
            "Họ tên người chết",
            "Họ, chữ đệm, tên người chết",
            "Họ, chữ đệm, tên người đã chết",
            "Họ và tên người đã chết",
            "Họ, chữ đệm, tên",
            "Họ và tên",
            "Họ tên",
        ),
        "name",
    ),
    "deceased_date_of_birth": ((*DATE_OF_BIRTH, "Năm sinh"), "date"),
    "deceased_sex": (BIRTH_COLUMNS["sex"][0], "sex"),
    "deceased_ethnicity": (("Dân tộc",), "ethnicity"),
    "deceased_nationality": (("Quốc tịch",), "nationality"),
    "deceased_personal_id": BIRTH_COLUMNS["personal_id"],
    "deceased_residence": (
        (
            "Nơi cư trú cuối cùng",
            "Nơi thường trú cuối cùng",
            "Nơi thường trú/tạm trú cuối cùng",
            "Nơi cư trú",
            "Nơi thường trú",
            "Trú quán",
        ),
        "text",
    ),
    "date_of_death": (
        (
            "Ngày chết",
            "Ngày, tháng, năm chết",
            "Ngày tháng năm chết",
            "Chết ngày",
            "Thời gian chết",
            "Ngày mất",
            "Ngày, tháng, năm mất",
        ),
        "date",
    ),
    "place_of_death": (("Nơi chết", "Chết tại", "Nơi mất"), "text"),
    "cause_of_death": (("Nguyên nhân chết", "Nguyên nhân", "Nguyên nhân mất"), "cause"),
    "declarant_full_name": (
        (
            "Họ và tên người đi khai tử",
            "Họ tên người đi khai tử",
            "Họ, chữ đệm, tên người đi khai tử",
            "Người đi khai tử",
            "Người khai",
        ),
        "name",
    ),
    **_NOTES,
}
#: Columns each spouse has in a marriage book, titled without the spouse ("Ngày sinh") or with ("Ngày
#: sinh của chồng"); `*` stands for the spouse.
_EACH_SPOUSE: Columns = {
    "*date_of_birth": ((*DATE_OF_BIRTH, "Năm sinh"), "date"),
    "*ethnicity": (("Dân tộc",), "ethnicity"),
    "*nationality": (("Quốc tịch",), "nationality"),
    "*residence": (
        ("Nơi cư trú", "Nơi thường trú", "Nơi thường trú/tạm trú", "Nơi đăng ký thường trú", "Trú quán"),
        "text",
    ),
    "*personal_id": BIRTH_COLUMNS["personal_id"],
}
_SPOUSE_WORDS = {"husband_": ("chồng", "người chồng"), "wife_": ("vợ", "người vợ")}


def _spouse_columns(prefix: str) -> Columns:
    words = _SPOUSE_WORDS[prefix]
    names = ("Họ và tên", "Họ tên", "Họ, chữ đệm, tên", "Họ, chữ đệm và tên")
    columns: Columns = {f"{prefix}full_name": (tuple(f"{n} {w}" for w in words for n in names), "name")}
    for name, (titles, kind) in _EACH_SPOUSE.items():
        columns[name.replace("*", prefix)] = (
            tuple(f"{t}{sep}{w}" for t in titles for w in words for sep in (" ", " của ")),
            kind,
        )
    return columns


#: Marriage books.
MARRIAGE_COLUMNS: Columns = {
    **_NUMBER_AND_DATE,
    **_spouse_columns("husband_"),
    **_spouse_columns("wife_"),
    "*full_name": (("Họ và tên", "Họ tên", "Họ, chữ đệm, tên", "Họ, chữ đệm và tên"), "name"),
    **_EACH_SPOUSE,
    **_NOTES,
}
#: The spouse a column titled without one belongs to: the one whose name column stands before it.
SPOUSE_COLUMN = {"husband_full_name": "husband_", "wife_full_name": "wife_"}
#: Headings over a spouse's columns, in a row above their titles.
SPOUSE_HEADINGS: Columns = {
    "husband_": (("Chồng", "Bên chồng", "Người chồng", "Thông tin người chồng", "Bên nam"), ""),
    "wife_": (("Vợ", "Bên vợ", "Người vợ", "Thông tin người vợ", "Bên nữ"), ""),
}


@dataclass(frozen=True)
class RegisterSpec:
    """One event's register books: the columns of its tables, the labels of its blocks, the fields that
    open an entry (met again, they start the next), and the fields every entry reports, found or not."""

    kind: str
    columns: Columns
    block: FormSpec
    entry_keys: tuple[str, ...]
    fields: tuple[str, ...]


_BOOK = ("book_number", "registration_office")
BIRTH_REGISTER = RegisterSpec(
    "birth",
    BIRTH_COLUMNS,
    register_block(BIRTH),
    ("registration_number", "full_name", "date_of_birth"),
    (
        "registration_number",
        "registration_date",
        "full_name",
        "date_of_birth",
        "sex",
        "mother_full_name",
        "father_full_name",
        *_BOOK,
    ),
)
DEATH_REGISTER = RegisterSpec(
    "death",
    DEATH_COLUMNS,
    register_block(DEATH),
    ("registration_number", "deceased_full_name", "deceased_date_of_birth"),
    ("registration_number", "registration_date", "deceased_full_name", "date_of_death", *_BOOK),
)
MARRIAGE_REGISTER = RegisterSpec(
    "marriage",
    MARRIAGE_COLUMNS,
    register_block(MARRIAGE),
    ("registration_number", "husband_full_name", "wife_full_name"),
    ("registration_number", "registration_date", "husband_full_name", "wife_full_name", *_BOOK),
)
