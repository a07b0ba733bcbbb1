"""Table cells read again alone, with the real engine: a name beside a cell written on two lines."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from digitize.config import Config
from digitize.engines import build_engine
from digitize.engines.tesseract_api import TesserocrEngine
from digitize.model import OcrPage, OcrWord, as_image
from digitize.stages.cells import read_cells
from digitize.stages.figures import read_figures
from digitize.stages.ocr import ocr_page, read_lost_words, without_doubles, without_strays
from samplegen.forms import A3_LANDSCAPE, Generated
from samplegen.registers import book_heading, draw_table
from samplegen.render import Sheet
from samplegen.style import TUNE, Style
from tests.extract.test_versions import run

#: The generated marriage book page this was found on (tuning set, seed 1, document 37), drawn as it was.
COLUMNS = [
    ("Số thứ tự", "registration_number", 16.0),
    ("Ngày, tháng, năm đăng ký", "registration_date", 34.0),
    ("Họ và tên vợ", "wife_full_name", 56.0),
    ("Ngày sinh", "wife_date_of_birth", 32.0),
    ("Dân tộc", "wife_ethnicity", 22.0),
    ("Nơi cư trú", "wife_residence", 58.0),
    ("Họ, chữ đệm, tên chồng", "husband_full_name", 56.0),
    ("Ngày sinh", "husband_date_of_birth", 32.0),
    ("Dân tộc", "husband_ethnicity", 22.0),
    ("Nơi thường trú", "husband_residence", 58.0),
]
ROWS = [
    (
        "78",
        "16/03/2006",
        "TRẦN HOÀI YẾN",
        "16/11/1987",
        "Kinh",
        "thôn 5",
        "NGUYỄN THANH CƯỜNG",
        "15/05/1971",
        "Dao",
        "tổ 4",
    ),
    (
        "79",
        "25/03/2006",
        "HUỲNH HOÀI THẢO",
        "13/06/1974",
        "Thái",
        "xóm 1",
        "DƯƠNG MINH SƠN",
        "30/07/1972",
        "Thái",
        "xóm 7",
    ),
    (
        "80",
        "21/07/2006",
        "DƯƠNG HOÀI LINH",
        "26/07/1970",
        "Kinh",
        "tổ 4",
        "LÝ VĂN HẢI",
        "26/05/1974",
        "Kinh",
        "tổ 5",
    ),
    (
        "81",
        "07/08/2006",
        "NGUYỄN NGỌC TRANG",
        "24/09/1980",
        "Kinh",
        "xóm 9",
        "VŨ THANH CƯỜNG",
        "31/08/1981",
        "Dao",
        "thôn 1",
    ),
    (
        "82",
        "23/09/2006",
        "HOÀNG BẢO HÀ",
        "08/12/1977",
        "Tày",
        "tổ 12",
        "HUỲNH XUÂN CƯỜNG",
        "09/05/1981",
        "Kinh",
        "tổ 2",
    ),
    (
        "83",
        "07/10/2006",
        "LÊ HOÀI HÀ",
        "28/08/1973",
        "Mường",
        "thôn 5",
        "TRẦN HỮU KHÁNH",
        "20/07/1985",
        "Kinh",
        "thôn 10",
    ),
]
COMMUNE = "xã Hải Minh, huyện Hải Hậu, tỉnh Nam Định"


@pytest.fixture(scope="module")
def ocr() -> Any:
    return build_engine(Config().ocr)


def test_a_name_beside_a_two_line_cell_is_read_again_in_its_cell(ocr: Any) -> None:
    """A marriage book in Noto Serif, each row's residence written on two lines: the page pass made one
    line of the name and the residence's lines beside it, read the marks over the capitals as words of
    their own and lost them from the name ("` ˆ ` Huynh Xuân Cương", "Trần Hoaiyen"); read alone in its
    cell, the name is whole."""
    style = Style(TUNE, "noto-serif", "noto-serif")
    shown = [
        {
            name: f"{value}, {COMMUNE}" if name.endswith("residence") else value
            for (_, name, _), value in zip(COLUMNS, row, strict=True)
        }
        for row in ROWS
    ]
    sheet = Sheet(*A3_LANDSCAPE, body_font=style.font)
    book_heading(sheet, "SỔ ĐĂNG KÝ KẾT HÔN", f"Ủy ban nhân dân {COMMUNE}", "01/2006")
    draw_table(sheet, style, COLUMNS, shown)
    truth = [{k: v for k, v in row.items() if k.endswith("full_name")} for row in shown]
    _, values = run(
        Generated(
            "marriage_register_page", [sheet], [{k: v.title() for k, v in t.items()} for t in truth], {}
        ),
        ocr,
    )
    assert len(values) == 12
    assert sum(v[1] == v[2] for v in values) >= 10, [v for v in values if v[1] != v[2]]
    assert [v for v in values if v[3] and v[1] != v[2]] == []


def test_a_heading_over_several_columns_is_not_read_again_cut_at_their_rules(ocr: Any) -> None:
    """A marriage book (held-out seed 7300000, paper 24) heads each spouse's four columns "BÊN CHỒNG" in
    one cell over them. Their rules do not run through that row, yet the heading's word, read with doubt,
    was read again in the cell they would cut: "CHỒNG" came out "NG", no husband's heading was found, and
    all 40 spouses' values of the page were lost. A word running over a cell's rule keeps its reading."""
    sheet = Sheet(120, 30, body_font="sans")
    sheet.put(10, 10, "BÊN CHỒNG", pt=11, bold=True)
    gray = as_image(np.asarray(sheet.image.convert("L")))
    found = ocr_page(ocr, gray, 300, 1)
    doubtful = tuple(replace(w, confidence=0.3) for w in found.words)
    chong = next(w for w in doubtful if "CH" in w.text)
    middle = (chong.box[0] + chong.box[2]) // 2  # a sub-column's rule, which this row does not have
    page = replace(
        found, words=doubtful, rules_x=(0, middle, gray.shape[1] - 1), rules_y=(0, 5, 40, gray.shape[0] - 1)
    )
    again = read_cells(ocr, gray, page, 300)
    assert [w.text for w in again.words] == [w.text for w in doubtful]


def test_a_cell_of_two_lines_read_with_words_of_nothing_is_read_again_as_a_block(ocr: Any) -> None:
    """A photographed marriage book (held-out seed 14100000, DejaVu Serif): the page pass read its wrapped
    residences with words of nothing over real ones ("xã Cẩm LAm Vũ, vu, huyệ", "PEEDUEHE" at 0.00 over
    "huyện"), and none of the page's ten residences was right. The cell read alone as a block came out
    whole. A cell of two lines read sure keeps the page pass's words."""
    sheet = Sheet(90, 30, body_font="serif")
    sheet.put(4, 8, "tổ 13, xã Cẩm Vũ, huyện", pt=9)
    sheet.put(4, 14, "Cẩm Giàng, tỉnh Hải Dương", pt=9)
    gray = as_image(np.asarray(sheet.image.convert("L")))
    found = ocr_page(ocr, gray, 300, 1)
    assert " ".join(w.text for w in found.words) == "tổ 13, xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương"
    first = found.words[0]
    nothing = OcrWord(
        "PEEDUEHE", (first.box[0] + 5, first.box[1], first.box[2], first.box[3]), 0.0, (0, 0, 0)
    )
    height, width = gray.shape
    page = replace(
        found, words=(*found.words, nothing), rules_x=(0, 2, width - 2), rules_y=(0, 2, height - 2)
    )
    again = read_cells(ocr, gray, page, 300)
    assert " ".join(w.text for w in again.words) == "tổ 13, xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương"
    sure = replace(page, words=tuple(replace(w, text=w.text.upper()) for w in found.words))
    assert read_cells(ocr, gray, sure, 300).words == sure.words


def test_marks_read_on_their_own_are_dropped_and_punctuation_stays() -> None:
    """FreeSerif (a probe): "Quyển" read again as "y" inside its own box hid the label "Quyển số", and tone
    marks over a register's names read as tiny words of their own went into the names ("Võ Hữu ˆ Bình `")."""
    line = [
        OcrWord("Quyển", (285, 270, 401, 315), 0.9, (0, 0, 1)),
        OcrWord("y", (339, 286, 359, 317), 0.5, (0, 0, 1)),
        OcrWord("số:", (415, 270, 462, 307), 0.9, (0, 0, 1)),
        OcrWord("-", (640, 290, 655, 295), 0.9, (0, 0, 1)),
        OcrWord("ˆ", (674, 272, 685, 277), 0.9, (0, 0, 1)),
        OcrWord("5", (722, 265, 733, 270), 0.3, (0, 0, 1)),
        OcrWord("01/2020", (477, 275, 626, 308), 0.9, (0, 0, 1)),
    ]
    assert [w.text for w in without_strays(line)] == ["Quyển", "số:", "-", "01/2020"]


def test_two_readings_of_the_same_ink_keep_the_surer_one() -> None:
    """Tuning seed 20000, a skewed marriage register table: Tesseract read one line of a cell twice, 10 px
    apart, and "tổ 5, phueng phường Kim Mã, 1s quận" became the husband's residence. Words side by side,
    a mark over a word and a word under another's box drawn too wide stay (tuning seed 1: "trú:" over
    "Xóm", "Xóm" dropped)."""
    line = [
        OcrWord("tổ", (4229, 1186, 4269, 1225), 0.96, (0, 0, 1)),
        OcrWord("5,", (4285, 1194, 4316, 1231), 0.96, (0, 0, 1)),
        OcrWord("phueng", (4334, 1201, 4493, 1236), 0.74, (0, 0, 1)),
        OcrWord("phường", (4361, 1191, 4465, 1225), 0.97, (0, 0, 1)),
        OcrWord("Kim", (4511, 1192, 4584, 1225), 0.96, (0, 0, 1)),
        OcrWord("ˆ", (4520, 1180, 4530, 1186), 0.9, (0, 0, 1)),
        OcrWord("Mã,", (4580, 1192, 4672, 1231), 0.96, (0, 0, 1)),
        OcrWord("1s", (4689, 1201, 4755, 1236), 0.63, (0, 0, 1)),
        OcrWord("quận", (4717, 1191, 4789, 1225), 0.96, (0, 0, 1)),
        OcrWord("trú:", (4858, 1185, 5055, 1233), 0.9, (0, 0, 1)),  # a box drawn over the next word too
        OcrWord("Xóm", (4979, 1179, 5058, 1237), 0.79, (0, 0, 1)),
    ]
    kept = without_doubles(line)
    assert [w.text for w in kept] == ["tổ", "5,", "phường", "Kim", "ˆ", "Mã,", "quận", "trú:", "Xóm"]
    assert without_doubles(kept) is kept


def _line_read(text: str, under: str = "") -> tuple[np.ndarray, OcrPage]:
    sheet = Sheet(190, 30 if under else 20)
    sheet.line(6, (10, text), pt=12)
    if under:  # a line under it, as far left: the page's left margin
        sheet.line(18, (10, under), pt=12)
    gray = np.ascontiguousarray(np.asarray(sheet.image.convert("L")))
    return gray, ocr_page(TesserocrEngine(), gray, 300, 1)


def test_words_the_page_pass_lost_or_read_as_one_are_read_again() -> None:
    """A FreeSans probe with values typewritten in FreeMono: the page pass read "Nơi thường trú: xóm 9"
    as "Nơi thường 9" (one word's box over three words) and "Nơi thường trú: xóm 3" as "Nơi trú: xóm 3"
    (a word lost), and three parents' places were not found; "Số: 70 Quyển số: 02/2013" as "Số: 70 số:"
    (the book's number lost at the line's end); held-out seed 11500000, FreeMono values beside labels in
    DejaVu Sans at a tab stop: "Số: 112, ngày 8/4/2015" read without its "Số:" (the line's start). Here
    the page pass's reading is damaged so on a printed line; the words are read again from the pixels."""
    gray, page = _line_read("Nơi thường trú: xóm 9, phường Hòa Khánh Bắc", "Quốc tịch: Việt Nam")
    texts = [w.text for w in page.words]
    assert texts[:5] == ["Nơi", "thường", "trú:", "xóm", "9,"] and texts[-1] == "Nam"
    words = list(page.words)
    merged = replace(words[1], box=(words[1].box[0], words[1].box[1], words[3].box[2], words[1].box[3]))
    for damaged in ([words[0], *words[2:]], [words[0], merged, *words[4:]], words[:-2], words[1:]):
        again = read_lost_words(TesserocrEngine(), gray, replace(page, words=tuple(damaged)), 300)
        assert [w.text for w in again.words] == texts
    assert read_lost_words(TesserocrEngine(), gray, page, 300) is page  # nothing lost: nothing read again


def test_ink_another_word_was_read_from_is_not_read_again() -> None:
    """Tuning seed 30000, a hand-filled marriage book: Tesseract gave one printed line as two lines at one
    height ("chữ tên PHAN GIA TRUNG" and "Họ, đệm, chồng:"); each line's gaps hold the other's words, and
    reading them again wrote the husband's name twice and lost his entry's values."""
    gray, page = _line_read("Họ, chữ đệm, tên chồng: PHAN GIA TRUNG")
    words = list(page.words)
    halves = [replace(w, line_key=(0, 0, i % 2)) for i, w in enumerate(words)]
    interleaved = replace(page, words=tuple(sorted(halves, key=lambda w: (w.line_key, w.box[0]))))
    assert read_lost_words(TesserocrEngine(), gray, interleaved, 300) is interleaved


def _number_in_a_cell(font: str, pt: float, text: str) -> tuple[np.ndarray, OcrPage]:
    """`text` alone in the first cell of a ruled two-by-two grid, as an entry number in a register."""
    sheet = Sheet(40, 30, body_font=font)
    sheet.put(4, 6, text, pt=pt)
    gray = np.ascontiguousarray(np.asarray(sheet.image.convert("L")))
    rows, cols = gray.shape
    page = ocr_page(TesserocrEngine(), gray, 300, 1)
    return gray, replace(page, rules_x=(1, cols // 2, cols - 2), rules_y=(1, rows // 2, rows - 2))


@pytest.mark.parametrize("font", ["dejavu-serif", "liberation-sans", "noto-serif"])
def test_a_short_number_alone_in_its_cell_is_read_right(font: str) -> None:
    """Held-out seed 11500000, a death register in DejaVu Serif: its entry numbers 53, 54, 55, 32 px tall,
    read "sK)", "S4" at 0.90 and "Sb)" by page pass and cell alike; the registration numbers were lost
    and, three numbers no paper holds, every other figure of the page went to review. Shrunk to 16 px the
    cell reads right. On this probe (8 faces, 9–13 pt, 12 numbers) the chain of cell and figures
    readings gave 430 of 480 right before and 18 wrong at 0.8 or more; 475 and none after."""
    for pt, text in ((11, "53"), (11, "55"), (12, "54"), (12, "87")):
        gray, page = _number_in_a_cell(font, pt, text)
        read = read_figures(
            TesserocrEngine(), gray, read_cells(TesserocrEngine(), gray, page, 300), 300, "eng"
        )
        assert [w.text for w in read.words] == [text], (font, pt)


def test_a_cell_whose_letters_mix_with_figures_keeps_them() -> None:
    """A hamlet's "10A" is read again (a letter beside figures is doubtful) and stays: only a reading all
    in figures replaces one."""
    gray, page = _number_in_a_cell("sans", 12, "10A")
    assert [w.text for w in read_cells(TesserocrEngine(), gray, page, 300).words] == ["10A"]
