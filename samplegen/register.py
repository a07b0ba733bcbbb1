"""Generated birth register pages (A3, ruled table) and administrative letters."""

from __future__ import annotations

import io
import random
from datetime import date

from samplegen.forms import A3_LANDSCAPE, A4, Generated, Truth, _iso, _office
from samplegen.people import PLACES, Place, make_family, make_person
from samplegen.registers import registered_values
from samplegen.render import Sheet
from samplegen.style import TUNE, Style

#: How the committed register samples write their values: typed, names in capitals, dates as 05/03/2015.
AS_TYPED = Style(TUNE, "serif", "serif")

# Column header text, field name, width in mm (sums to the table width).
REGISTER_COLUMNS: list[tuple[str, str, float]] = [
    ("Số", "registration_number", 16),
    ("Ngày đăng ký", "registration_date", 34),
    ("Họ, chữ đệm, tên", "full_name", 62),
    ("Ngày sinh", "date_of_birth", 32),
    ("Giới tính", "sex", 22),
    ("Dân tộc", "ethnicity", 24),
    ("Số định danh cá nhân", "personal_id", 48),
    ("Họ, chữ đệm, tên mẹ", "mother_full_name", 60),
    ("Họ, chữ đệm, tên cha", "father_full_name", 60),
    ("Ghi chú", "notes", 32),
]


def birth_register_page(
    rng: random.Random,
    rows: int = 6,
    place: Place | None = None,
    first_number: int | None = None,
    year: int | None = None,
    font: str = "serif",
) -> Generated:
    place = place or rng.choice(PLACES)
    year = year or rng.randrange(2012, 2024)
    families = sorted(
        (make_family(rng, place, (date(year, 1, 1), date(year, 11, 1))) for _ in range(rows)),
        key=lambda fam: fam.registered,
    )
    start = first_number if first_number is not None else rng.randrange(1, 150)
    book = f"01/{year}"
    s = Sheet(*A3_LANDSCAPE, body_font=font)
    s.line(14, (210, "SỔ ĐĂNG KÝ KHAI SINH"), pt=18, bold=True, align="center")
    s.line(24, (30, f"Nơi đăng ký: {_office(place)}"), (330, f"Quyển số: {book}"), pt=12.5)
    x0, y0, row_h, head_h = 20.0, 34.0, 24.0, 20.0
    width = sum(w for _, _, w in REGISTER_COLUMNS)
    s.rule(x0, y0, x0 + width, y0)
    headers = []
    x = x0
    for header, _, w in REGISTER_COLUMNS:
        s.put(x + 2, y0 + 6, header, pt=11, bold=True)
        headers.append(header)
        x += w
    s.lines.append(" ".join(headers))
    records: list[Truth] = []
    for i, fam in enumerate(families):
        top = y0 + head_h + i * row_h
        truth, shown = registered_values(fam, start + i, AS_TYPED)
        cells = []
        x = x0
        for _, name, w in REGISTER_COLUMNS:
            text = shown.get(name, truth.get(name, ""))
            if text:
                s.put(x + 2, top + 8, text, pt=11)
                cells.append(text)
            x += w
        s.lines.append(" ".join(cells))
        records.append(truth | {"book_number": book, "registration_office": _office(place)})
    for k in range(rows + 1):
        y = y0 + head_h + k * row_h
        s.rule(x0, y, x0 + width, y)
    x = x0
    for _, _, w in [*REGISTER_COLUMNS, ("", "", 0.0)]:
        s.rule(x, y0, x, y0 + head_h + rows * row_h)
        x += w
    meta = {
        "TypeName": "Sổ đăng ký khai sinh",
        "CodeNumber": book.split("/")[0],
        "CodeNotation": "SĐKKS",
        "IssuedDate": str(year),
        "OrganName": f"Ủy ban nhân dân {place.commune}",
        "Subject": f"Sổ đăng ký khai sinh quyển {book}",
    }
    return Generated("birth_register_page", [s], records, meta)


LETTER_BODY = [
    "Thực hiện Nghị định số 45/2020/NĐ-CP của Chính phủ về thực hiện thủ tục hành chính trên môi trường",
    "điện tử và Thông tư số 01/2023/TT-VPCP, Sở Tư pháp hướng dẫn Ủy ban nhân dân các xã, phường thực hiện",
    "số hóa sổ hộ tịch đang lưu trữ như sau:",
    "1. Rà soát, thống kê số lượng sổ đăng ký khai sinh, kết hôn, khai tử theo từng năm đăng ký.",
    "2. Chụp hoặc quét từng trang sổ với độ phân giải tối thiểu 300 dpi, giữ nguyên màu sắc của con dấu.",
    "3. Nhập dữ liệu vào hệ thống, đối chiếu với sổ gốc và ký số bản sao điện tử trước khi lưu trữ.",
    "4. Báo cáo kết quả thực hiện về Sở Tư pháp trước ngày 30 của tháng cuối quý.",
]
LETTER_BODY_2 = [
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các đơn vị phản ánh về Sở Tư pháp",
    "(qua Phòng Hành chính tư pháp) để được hướng dẫn, giải quyết kịp thời.",
    "Sở Tư pháp đề nghị Ủy ban nhân dân các xã, phường quan tâm, chỉ đạo thực hiện./.",
]


def admin_letter(rng: random.Random, place: Place | None = None) -> Generated:
    place = place or rng.choice(PLACES)
    province = place.province.split(" ", 1)[1] if place.province.startswith("tỉnh") else place.province
    number = rng.randrange(10, 900)
    issued = date(2024, rng.randrange(1, 12), rng.randrange(1, 28))
    p1 = Sheet(*A4)
    p1.line(
        12,
        (50, f"UBND {place.province.upper()}"),
        (140, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        pt=11.5,
        align="center",
    )
    p1.line(18, (50, "SỞ TƯ PHÁP"), (140, "Độc lập - Tự do - Hạnh phúc"), pt=11.5, bold=True, align="center")
    p1.line(
        28,
        (50, f"Số: {number}/STP-HCTP"),
        (140, f"{province.title()}, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}"),
        pt=12,
        align="center",
    )
    p1.line(35, (50, "V/v hướng dẫn số hóa sổ hộ tịch"), pt=11.5, align="center")
    p1.line(48, (70, "Kính gửi: Ủy ban nhân dân các xã, phường"), pt=13)
    y = 60.0
    for text in LETTER_BODY:
        p1.line(y, (20, text), pt=12)
        y += 8.5
    p2 = Sheet(*A4)
    y = 20.0
    for text in LETTER_BODY_2:
        p2.line(y, (20, text), pt=12)
        y += 8.5
    p2.line(y + 8, (20, "Nơi nhận:"), (150, "GIÁM ĐỐC"), pt=12, bold=True)
    p2.line(y + 15, (20, "- Như trên;"), pt=11)
    p2.line(y + 21, (20, "- Lưu: VT, HCTP."), pt=11)
    director = make_person(rng, "Nam", date(1970, 1, 1), place)
    p2.signature(135, y + 28, rng)
    p2.seal(128, y + 28, "SỞ TƯ PHÁP")
    p2.line(y + 46, (150, director.title_name), pt=12, bold=True, align="center")
    meta = {
        "TypeName": "Công văn",
        "CodeNumber": str(number),
        "CodeNotation": "STP-HCTP",
        "IssuedDate": _iso(issued),
        "OrganName": "Sở Tư pháp",
        "Subject": "V/v hướng dẫn số hóa sổ hộ tịch",
    }
    return Generated("administrative_document", [p1, p2], [], meta, {"signer": director.title_name})


def birth_register_volume(
    rng: random.Random, pages: int, rows: int = 4, first_number: int = 1, gap_after_page: int | None = None
) -> tuple[bytes, list[Generated]]:
    """A multi-page TIFF of one register book (same office and year, numbering running on across pages).

    With `gap_after_page`, numbering jumps by ten after that page: a volume the join must flag.
    """
    place, year = rng.choice(PLACES), rng.randrange(2012, 2024)
    generated, number = [], first_number
    for page in range(1, pages + 1):
        generated.append(birth_register_page(rng, rows, place, number, year))
        number += rows + (10 if page == gap_after_page else 0)
    images = [g.sheets[0].image.convert("L") for g in generated]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="TIFF",
        save_all=True,
        append_images=images[1:],
        compression="tiff_deflate",
        dpi=(300, 300),
    )
    return buffer.getvalue(), generated
