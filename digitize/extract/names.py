"""Plausibility of Vietnamese personal names, to catch OCR tone-mark errors ("Đồ" for "Đỗ").

Surnames are a nearly closed set: an unknown surname goes to review, and a surname whose letters match
exactly one known surname (only the tone marks differ) is corrected with the correction recorded. Middle
and given names are open, so a syllable outside the common ones only lowers confidence (review), never
rejects: the list can only cost a clerk a look, never accept a wrong value.
"""

from __future__ import annotations

from digitize.extract.text import fold

SURNAMES = frozenset(
    [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đào",
        "Đoàn",
        "Vương",
        "Trịnh",
        "Trương",
        "Lâm",
        "Phùng",
        "Mai",
        "Tô",
        "Hà",
        "Tạ",
        "Lương",
        "Đinh",
        "Quách",
        "Lưu",
        "Cao",
        "Chu",
        "Châu",
        "Kiều",
        "Thái",
        "Triệu",
        "Tăng",
        "Lại",
        "Mạc",
        "Nghiêm",
        "Hứa",
        "Văn",
        "La",
        "Khổng",
        "Từ",
        "Giang",
        "Diệp",
        "Âu",
        "Doãn",
        "Đàm",
        "Lục",
        "Ông",
        "Thân",
        "Ninh",
        "Kim",
        "Tôn",
        "Thạch",
        "Bế",
        "Hoàng",
        "Nông",
        "Lò",
        "Quan",
        "Mã",
        "Vi",
        "Hầu",
    ]
)
COMMON_SYLLABLES = frozenset(
    [
        "Văn",
        "Thị",
        "Đức",
        "Minh",
        "Quốc",
        "Hữu",
        "Thanh",
        "Gia",
        "Xuân",
        "Ngọc",
        "Thu",
        "Hoài",
        "Bảo",
        "Công",
        "Đình",
        "Quang",
        "Hồng",
        "Kim",
        "Anh",
        "Thùy",
        "Phương",
        "Mỹ",
        "Tuấn",
        "Hải",
        "Hoàng",
        "Trung",
        "Việt",
        "Duy",
        "Bích",
        "Diệu",
        "Khánh",
        "Thúy",
        "Như",
        "Tường",
        "Nhật",
        "Thế",
        "Tiến",
        "Mạnh",
        "Trọng",
        "Bá",
        "Chí",
        "Nguyên",
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hiếu",
        "Long",
        "Nam",
        "Phúc",
        "Quân",
        "Sơn",
        "Đạt",
        "Thắng",
        "Huy",
        "Hà",
        "Hạnh",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Quỳnh",
        "Thảo",
        "Trang",
        "Vy",
        "Yến",
        "Nhung",
        "Hoa",
        "Ngân",
        "Duyên",
        "Châu",
        "Hùng",
        "Hưng",
        "Khoa",
        "Lâm",
        "Lộc",
        "Nhân",
        "Phong",
        "Tài",
        "Tâm",
        "Thành",
        "Thịnh",
        "Toàn",
        "Trí",
        "Tú",
        "Vinh",
        "Vũ",
        "Hòa",
        "Hiền",
        "Hằng",
        "Huệ",
        "Liên",
        "Loan",
        "Ly",
        "Nhi",
        "Oanh",
        "Tâm",
        "Thư",
        "Trâm",
        "Uyên",
        "Vân",
        "Xuân",
        "Giang",
        "Hạ",
        "Hân",
        "Khuê",
        "Lam",
        "My",
        "Nhàn",
        "Nhi",
        "Thoa",
        "Tiên",
        "Tuyết",
        "Diệp",
        "Đông",
        "Khải",
        "Kiên",
        "Luân",
        "Nghĩa",
        "Phát",
        "Quý",
        "Sang",
        "Tín",
        "Triều",
        "Tùng",
        "Vĩnh",
        "Ánh",
        "Cúc",
        "Dung",
        "Đào",
        "Hậu",
        "Hoàn",
        "Hường",
        "Lệ",
        "Lụa",
        "Mơ",
        "Na",
        "Nguyệt",
        "Nhàn",
        "Phượng",
        "Quyên",
        "Sen",
        "Thắm",
        "Thơm",
        "Tươi",
        "Xuyến",
        "Yên",
    ]
)
_SURNAMES_BY_LETTERS: dict[str, list[str]] = {}
for _name in SURNAMES:
    _SURNAMES_BY_LETTERS.setdefault(fold(_name), []).append(_name)


#: Surnames that are far more often middle names: a name of two words opening with one has most likely
#: lost its surname ("Vũ Văn Tuấn" read "Văn Tuấn" in a register cell, typewritten).
MIDDLE_NAMES = frozenset(("Văn",))
LOST_SURNAME = "a name of two words opening with '{}', most often a middle name: the surname may be lost"


def known_name_word(word: str) -> bool:
    return word.title() in COMMON_SYLLABLES or word.title() in SURNAMES


def check_name(title_name: str) -> tuple[str, list[str]]:
    """(possibly corrected name, reasons to review). Empty reasons: the name looks plausible."""
    words = title_name.split()
    if not words:
        return title_name, ["empty name"]
    reasons: list[str] = []
    surname = words[0]
    if surname not in SURNAMES:
        candidates = _SURNAMES_BY_LETTERS.get(fold(surname), [])
        if len(candidates) == 1:
            words[0] = candidates[0]
            reasons.append(f"surname '{surname}' is not a known surname; read as '{candidates[0]}'")
        else:
            reasons.append(f"surname '{surname}' is not a known Vietnamese surname")
    if len(words) == 2 and surname in MIDDLE_NAMES:
        reasons.append(LOST_SURNAME.format(surname))
    unusual = [w for w in words[1:] if w not in COMMON_SYLLABLES]
    if unusual:
        reasons.append(f"uncommon name syllable(s) {', '.join(unusual)}: check the tone marks on the paper")
    return " ".join(words), reasons
