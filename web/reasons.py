"""Why a field waits, and why a value was refused, in Vietnamese for the station's clerks.

The extractor and the repository say it in English (logs, the API, the audit trail keep that); the station
shows each part of a reason ("; "-separated) through these patterns, and a part no pattern knows as it is.
"""

from __future__ import annotations

import re

_Q = r"'([^']*)'"
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"low OCR confidence \(([\d.]+)\)", r"OCR đọc không chắc (\1)"),
    (r"confidence ([\d.]+) under the threshold ([\d.]+)", r"độ tin cậy \1 dưới ngưỡng \2"),
    (r"written by hand in pen: check it against the image", "viết tay bằng bút: đối chiếu với ảnh"),
    (r"written but not read: key it from the image", "có chữ viết nhưng chưa đọc được: nhập theo ảnh"),
    (r"blank cell: check it is empty", "ô trống: xác nhận trên giấy cũng để trống"),
    (r"row added at the station: key it from the image", "dòng thêm tại trạm: nhập theo ảnh"),
    (
        r"label found, nothing read after it: key the value from the image",
        "có nhãn nhưng không đọc được giá trị: nhập theo ảnh",
    ),
    (
        r"most of this document could not be read, so none of it is accepted unchecked",
        "phần lớn tài liệu không đọc được nên không giá trị nào được tự động chấp nhận",
    ),
    (r"only the year could be read \(partial date kept\)", "chỉ đọc được năm (giữ ngày chưa đủ)"),
    (r"(\d+)/(\d+)/(\d+) is not a calendar date", r"\1/\2/\3 không phải ngày có thật"),
    (
        r"the date in words \((\d+)/(\d+)/(\d+)\) is not a calendar date",
        r"ngày viết bằng chữ (\1/\2/\3) không có thật",
    ),
    (r"the date in words could not be read", "không đọc được ngày viết bằng chữ"),
    (r"the date in figures reads (.+)", r"ngày viết bằng số là \1"),
    (r"the date in words reads (.+)", r"ngày viết bằng chữ là \1"),
    (
        r"read without the marks between day, month and year: check it",
        "đọc được số nhưng mất dấu phân cách ngày, tháng, năm: đối chiếu với ảnh",
    ),
    (
        r"the unit word was read '(.+?)': check the number or name beside it",
        r"từ chỉ đơn vị hành chính bị đọc thành '\1': kiểm tra số hoặc tên bên cạnh",
    ),
    (
        r"the hamlet's number or name was read '(.+?)': check it on the paper",
        r"số hoặc tên thôn, xóm bị đọc thành '\1': kiểm tra trên bản giấy",
    ),
    (
        r"'(.+?)' is no facility's name as written: a word of it was lost or misread",
        r"'\1' không phải tên cơ sở y tế như được viết: một chữ bị mất hoặc đọc sai",
    ),
    (
        r"the place ends with a comma: its rest was not read",
        "địa danh kết thúc bằng dấu phẩy: phần còn lại chưa đọc được",
    ),
    (r"'(.+?)' names no commune of (.+)", r"'\1' không phải tên xã, phường nào của \2"),
    (r"names no place: no name or number in it", "không có tên hay số nào của một địa danh"),
    (
        r"the column's title was not read: its names are taken for the entry's own person: check it",
        "không đọc được tiêu đề cột: tên trong cột được coi là của người được đăng ký, cần kiểm tra",
    ),
    (
        r"'(.+?)' stands with no hamlet's or street's word: the word before it was lost",
        r"'\1' đứng một mình, không có chữ thôn, xóm, tổ hay đường: chữ trước nó bị mất",
    ),
    (
        r"names no commune of the units of its time, as a residence does: its start may be lost",
        "không có xã, phường theo đơn vị hành chính thời đó như nơi cư trú phải có: phần đầu có thể bị mất",
    ),
    (
        r"'(.+?)' stands without its unit's word: the word before it was lost",
        r"'\1' đứng không có chữ chỉ cấp hành chính (xã, huyện, quận…): chữ trước nó bị mất",
    ),
    (r"'(.+?)' opens the place: 'Tại' misread", r"'\1' ở đầu địa danh: là 'Tại' bị đọc sai"),
    (
        r"read '(.+?)', offered as '(.+?)': check it on the paper",
        r"đọc được '\1', đề xuất '\2': đối chiếu với giấy tờ",
    ),
    (
        r"a '7' and a '/' read for each other \('(.+?)'\): check it",
        r"chữ số 7 và dấu '/' bị đọc lẫn nhau ('\1'): đối chiếu với ảnh",
    ),
    (
        r"a letter read for a figure \('(.+?)'\): check it",
        r"chữ cái bị đọc thay chữ số ('\1'): đối chiếu với ảnh",
    ),
    (
        r"'(.+?)' is written almost as '(.+?)', the father's: one of the two was misread",
        r"'\1' gần giống '\2' (của cha): một trong hai bị đọc sai",
    ),
    (
        r"'(.+?)' is written almost as '(.+?)', the mother's: one of the two was misread",
        r"'\1' gần giống '\2' (của mẹ): một trong hai bị đọc sai",
    ),
    (
        r"not written with Vietnamese letters \((.+)\): misread",
        r"chữ không phải chữ tiếng Việt (\1): đọc sai",
    ),
    (
        r"the figures of this document are misread alike \((\d+) years no paper holds, (\d+) numbers no"
        r" paper holds, (\d+) numbers read otherwise a second time\)",
        r"chữ số của tài liệu này bị đọc sai giống nhau (\1 năm không thể có, \2 số không thể có,"
        r" \3 số đọc lại khác lần đầu)",
    ),
    (
        r"the letters of this document are misread alike \((\d+) different words no text holds\)",
        r"chữ của tài liệu này bị đọc sai giống nhau (\1 chữ khác nhau không phải tiếng Việt)",
    ),
    (r"not a date", "không phải ngày tháng"),
    (r"not a four-digit year", "năm phải có 4 chữ số"),
    (r"(.+) is in the future", r"\1 ở tương lai"),
    (
        r"a name of two words opening with '(.+?)', most often a middle name: the surname may be lost",
        r"tên chỉ có hai chữ, bắt đầu bằng '\1' (thường là tên đệm): có thể mất họ",
    ),
    (
        r"uncommon name syllable\(s\) (.+): check the tone marks on the paper",
        r"âm tiết tên hiếm gặp \1: xem dấu trên giấy",
    ),
    (rf"surname {_Q} is not a known surname", r"họ «\1» không có trong danh sách họ"),
    (rf"read as {_Q}, closest (.+) is {_Q}", r"đọc là «\1», gần nhất trong danh mục \2 là «\3»"),
    (rf"read as {_Q}", r"đọc là «\1»"),
    (rf"{_Q} is not a known (.+)", r"«\1» không có trong danh mục \2"),
    (rf"tone marks corrected from {_Q}", r"đã sửa dấu từ «\1»"),
    (r"not found on the page", "không tìm thấy trên trang"),
    (
        rf"{_Q} is not written as the name of a unit here",
        r"«\1» không được viết như tên một đơn vị hành chính",
    ),
    (
        r"does not spell the administrative unit as officially written \((.+)\)",
        r"viết khác tên chính thức của đơn vị hành chính (\1)",
    ),
    (r"book number is not NN/YYYY", "số quyển không theo dạng NN/NNNN"),
    (r"empty name", "tên trống"),
    (r"free text that no list or rule can confirm", "văn bản tự do, không danh mục nào xác nhận được"),
    (r"letters or symbols mixed into a number", "số lẫn chữ hoặc ký hiệu"),
    (r"no digits", "không có chữ số"),
    (r"(\d+) digits, expected (\d+)", r"\1 chữ số, cần \2"),
    (r"number (\d+) does not follow (\d+)", r"số \1 không nối tiếp số \2"),
    (r"number (\d+) is not followed by (\d+) but by (\d+)", r"sau số \1 lẽ ra là \2 nhưng là \3"),
    (r"registered in (\d{4}), but the book is of (\d{4})", r"đăng ký năm \1, nhưng sổ là sổ năm \2"),
    (r"registered on ([\d-]+), after the entries below it", r"ngày đăng ký \1 muộn hơn các mục bên dưới"),
    (r"registered on ([\d-]+), before the entries above it", r"ngày đăng ký \1 sớm hơn các mục bên trên"),
    (r"personal ID is not 12 digits", "số định danh cá nhân không đủ 12 chữ số"),
    (r"province code (\d+) does not exist", r"mã tỉnh \1 không tồn tại"),
    (
        r"province digits (\d+) are not those of (.+) \(([\d, ]+)\)",
        r"ba số đầu \1 không phải mã tỉnh của \2 (\3)",
    ),
    (r"century digit (\d) does not match birth year (\d+)", r"chữ số thế kỷ \1 không khớp năm sinh \2"),
    (r"year digits (\d+) do not match birth year (\d+)", r"hai chữ số năm \1 không khớp năm sinh \2"),
    (r"sex digit (\d) does not match sex (.+)", r"chữ số giới tính \1 không khớp giới tính \2"),
    (rf"conflicts with {_Q} in (.+)", r"mâu thuẫn với «\1» trong \2"),
    (r"keyed once: waits for the second keying", "đã nhập một lần: chờ lần nhập thứ hai"),
    (
        r"keyed differently by (.+) and (.+): a third person decides",
        r"\1 và \2 nhập khác nhau: người thứ ba quyết định",
    ),
    (r"illegible: needs the paper", "không đọc được: cần bản giấy"),
    (r"blank on the paper", "trên giấy để trống"),
    (r"(.+); confirmed by (.+)", r"\1; đã xác nhận bởi \2"),
    # refusals of what a clerk typed (storage.repository.review)
    (r"field (\w+): no value", r"trường \1: chưa có giá trị"),
    (
        r"field (\w+) cannot be left blank: every entry has one",
        r"trường \1 không được để trống: mục nào cũng có",
    ),
    (
        r"type it as written on the paper \(dates as 12/03/2015\), or mark it illegible",
        "gõ như trên giấy (ngày như 12/03/2015), hoặc đánh dấu không đọc được",
    ),
    (
        r"type it as written, or mark it illegible \(F9\)",
        "gõ như trên giấy, hoặc đánh dấu không đọc được (F9)",
    ),
    (
        r"check the personal ID, sex and date of birth against the paper",
        "đối chiếu số định danh, giới tính và ngày sinh với giấy",
    ),
    (
        r"field (\w+): you and (.+) keyed it differently; a third person decides",
        r"trường \1: bạn và \2 nhập khác nhau; người thứ ba quyết định",
    ),
    (r"leave it to another clerk or a supervisor", "để người khác hoặc giám sát viên quyết định"),
)
_REFUSED = re.compile(rf"field (\w+): {_Q} — (.+)")
_COMPILED = [(re.compile(pattern), replacement) for pattern, replacement in PATTERNS]


def vietnamese(text: str) -> str:
    """The reason in Vietnamese, part by part (a part no pattern knows stays as written)."""
    return "; ".join(_part(part) for part in text.split("; ")) if text else text


def _part(part: str) -> str:
    refused = _REFUSED.fullmatch(part)  # "field F: 'typed' — why", why in its own words
    if refused:
        return f"trường {refused.group(1)}: «{refused.group(2)}» — {_part(refused.group(3))}"
    for pattern, replacement in _COMPILED:
        if pattern.fullmatch(part):
            return pattern.sub(replacement, part)
    return part
