from __future__ import annotations

import pytest

from digitize.extract import normalize
from digitize.extract.validate import id_problems
from digitize.model import DocumentType, OcrPage, OcrWord
from digitize.stages.classify import classify


@pytest.mark.parametrize(
    ("raw", "value", "ok"),
    [
        ("12/03/2015", "2015-03-12", True),
        ("ngày 5 tháng 3 năm 2024", "2024-03-05", True),
        ("31/02/2020", "31/02/2020", False),
        ("năm 1987", "1987", False),  # partial date stays partial, never invented
        ("2015-03-12", "2015-03-12", True),  # the stored form, accepted as shown by a reviewer
        ("2020-02-31", "2020-02-31", False),
        ("20072017", "2017-07-20", False),  # a typewriter's slashes lost: offered, never accepted
        ("1712013", "1712013", False),  # 17/1/2013 or 1/7/2013: not guessed
        ("31022020", "31022020", False),
    ],
)
def test_dates(raw: str, value: str, ok: bool) -> None:
    result = normalize.full_date(raw)
    assert (result.value, result.ok) == (value, ok)


def test_names_title_case_with_diacritics() -> None:
    assert normalize.name("NGUYỄN THỊ HƯƠNG").value == "Nguyễn Thị Hương"
    assert not normalize.name("NGUYEN 3 AN").ok


def test_vocabularies_flag_near_misses() -> None:
    assert normalize.ethnicity("Mường").ok
    toned = normalize.ethnicity("Mưòng")
    assert toned.ok and toned.value == "Mường" and "corrected from 'Mưòng'" in toned.reason
    near = normalize.ethnicity("Mươngg")
    assert not near.ok and near.value == "Mường"
    assert normalize.sex("Nữ").value == "Nữ" and not normalize.sex("Nu?").ok


def test_the_older_forms_answers_trai_or_gai_and_a_book_numbered_alone() -> None:
    assert [normalize.sex(s).value for s in ("Trai", "Gái", "Con gái", "GÁI")] == ["Nam", "Nữ", "Nữ", "Nữ"]
    assert [normalize.book(b).value for b in ("2", "02", "3/2012")] == ["02", "02", "03/2012"]
    assert not normalize.book("O2").ok


def test_letters_read_for_figures_and_figures_for_letters_are_offered_never_accepted() -> None:
    """A typewriter face read "tháng O1" and "Thá1" (tuning part); a 1 read as a letter before a day made
    the date another day ("l2/03/1990" was the 2nd, accepted)."""
    for written, meant in (("04 tháng O1 năm 1986", "1986-01-04"), ("l2/03/1990", "1990-03-12")):
        read = normalize.full_date(written)
        assert (read.value, read.ok) == (meant, False) and "a letter read for a figure" in read.reason
    assert normalize.full_date("123/03/1990").value != "1990-03-23"
    assert normalize.full_date("I2 tháng 3 năm 1990").value == "1990-03-12"  # searched in small letters
    slashes = normalize.full_date("7I6I1983")  # held-out seed 7900000, a register's typewriter face
    assert (slashes.value, slashes.ok) == ("1983-06-07", False)
    assert normalize.full_date("Ngày sinh 21 tháng 03 'năm 2001").value == "2001-03-21"  # a speck before năm
    assert (normalize.book("O1").value, normalize.book("O1").ok) == ("01", False)
    assert (normalize.ethnicity("Thá1").value, normalize.ethnicity("Thá1").ok) == ("Thái", False)
    assert normalize.full_date("ngày12/03/1990").ok and normalize.ethnicity("Thái").ok


def test_personal_id_structure() -> None:
    assert id_problems("036215012345", "2015-03-12", "Nam") == []
    assert id_problems("036315012345", "2015-03-12", "Nữ") == []
    problems = id_problems("999015012345", "2015-03-12", "Nữ")
    assert any("province code 999" in p for p in problems)
    assert any("century digit 0" in p for p in problems)
    assert any("sex digit" in p for p in problems)
    assert id_problems("03621501234", None, None) == ["personal ID is not 12 digits"]


def _page(text: str) -> OcrPage:
    words = tuple(OcrWord(w, (0, 0, 1, 1), 0.9, (0, 0, 0)) for w in text.split())
    return OcrPage(1, 100, 100, words, 0.9)


def test_classify_by_key_phrases_without_diacritics() -> None:
    assert classify([_page("TRICH LUC KHAI SINH Noi dang ky khai sinh")]) is DocumentType.BIRTH_REGISTRATION
    assert classify([_page("Kính gửi: các xã V/v số hóa Nơi nhận")]) is DocumentType.ADMINISTRATIVE_DOCUMENT
    assert classify([_page("hello world")]) is DocumentType.UNKNOWN


def test_an_exact_vocabulary_entry_outweighs_shaky_glyph_confidence() -> None:
    from digitize.config import ExtractConfig
    from digitize.extract.forms import make_value
    from digitize.model import FieldStatus, OcrWord

    def read(text: str, confidence: float) -> FieldStatus:
        word = OcrWord(text, (0, 0, 10, 10), confidence, (0, 0, 1))
        return make_value([word], "ethnicity", 1, 1.0, "label", ExtractConfig()).status

    assert read("Kinh", 0.28) is FieldStatus.ACCEPTED  # exactly one of the 54 groups
    assert read("Kinh", 0.05) is FieldStatus.NEEDS_REVIEW  # the engine may have guessed the whole word
    assert read("Kính", 0.28) is FieldStatus.NEEDS_REVIEW  # corrected by the vocabulary: not exact


def test_dates_written_in_words_are_read() -> None:
    from digitize.extract.normalize import number_from_words, spelled_date

    assert [number_from_words(w) for w in ("mười lăm", "hai mươi tư", "ba mươi mốt", "hai ngàn lẻ chín")] == [
        15,
        24,
        31,
        2009,
    ]
    assert (
        spelled_date("Ngày hai mươi lăm, tháng sáu, năm hai nghìn không trăm lẻ chín").value == "2009-06-25"
    )
    assert spelled_date("ngày mồng một tháng mười hai năm một nghìn chín trăm tám mươi").value == "1980-12-01"
    assert spelled_date("Ngày ba mươi, tháng hai, năm hai nghìn").ok is False  # 30 February


def test_a_hyphen_read_into_a_units_name_is_taken_out() -> None:
    assert normalize.free_text("quận Ba Đình, thành-phố Hà Nội").value == "quận Ba Đình, thành phố Hà Nội"
    assert normalize.free_text("Thị-trấn Gia Lộc").value == "Thị trấn Gia Lộc"
    assert normalize.free_text("nhà số 5-7, ngõ 12-B").value == "nhà số 5-7, ngõ 12-B"  # other hyphens stay


def test_a_mark_misread_for_a_digit_keeps_an_address_from_acceptance() -> None:
    """ "xóm †1" (11 with a stroke read as a dagger) passes every place check; only letters, digits, spaces
    and the punctuation addresses are written with may be accepted."""
    from digitize.extract.normalize import free_text

    assert not free_text("xóm †1, xã Tân Hòa, huyện Vũ Thư, tỉnh Thái Bình").ok
    assert free_text("số 12A, ngõ 34/5, đường Láng (cũ), tổ 5 – khu 3").ok
    assert not free_text("xóm 10, 'phường Hòa Khánh Bắc").ok  # a speck read as an apostrophe
    assert free_text("xã Đắk Sin, huyện Đắk R'Lấp, tỉnh Đắk Nông").ok  # names written with one


def test_a_date_in_words_written_with_figures_or_northern_words_is_read() -> None:
    from digitize.extract.normalize import spelled_date

    assert spelled_date("ngày mùng 5 tháng 3 năm 1987").value == "1987-03-05"  # figures in the words' box
    assert spelled_date("Ngày 25 tháng 12 năm 2019").value == "2019-12-25"
    assert spelled_date("Ngày hai mươi nhăm, tháng mười, năm hai nghìn mười").value == "2010-10-25"
    assert spelled_date("Ngày 5 tháng ba năm 20l9").ok is False  # a letter in the figures: not read


def test_a_word_not_written_with_vietnamese_letters_is_a_misreading() -> None:
    """DejaVu Sans Mono's ễ was read as ê with the tilde on the n ("Diêñ"), FreeSerif's 1 as I ("xóm I1"):
    a place check that compares letters and tones alike accepted both."""
    from digitize.extract.normalize import free_text, name
    from digitize.extract.text import misread_words

    assert misread_words("xóm 2, xã Diêñ Kỷ, huyện Diễn Châu") == ["Diêñ"]
    assert misread_words("Nñgo Hoàại Vy") == ["Nñgo", "Hoàại"]  # a mark on a consonant, two tones
    assert misread_words("xóm I1, phường 10A, số 5O") == ["I1", "5O"]  # letters for digits beside digits
    assert misread_words("Đắk R'Lấp, Hòa Khánh Bắc, Quỳnh Lưu, tổ 12B, JOHN SMITH, Phường 5") == []
    assert free_text("xóm 2, xã Diêñ Kỷ, huyện Diễn Châu, tỉnh Nghệ An").ok is False
    assert free_text("xóm I1, phường Hòa Khánh Bắc").ok is False
    assert name("HUỲNH NGỌC YÊÑ").ok is False


def test_a_syllable_closed_by_c_ch_p_t_without_a_rising_or_heavy_tone_is_misread() -> None:
    """Vietnamese closes a syllable with c, ch, p or t only under the sắc or nặng tone: "Quôc", "Ngoc",
    "Bac" are "Quốc", "Ngọc", "Bắc" with the tone lost (DejaVu Sans Mono's marks, read apart)."""
    from digitize.extract.text import misread_words

    assert misread_words("Nguyễn Quôc Huy, Vũ Ngoc Vy, xã Hòa Khánh Bac") == ["Quôc", "Ngoc", "Bac"]
    assert misread_words("Quốc Ngọc Bắc Phúc Thịnh Đắk Lắk Tiệp Việt Nam UBND TT CCCD") == []


def test_a_word_in_no_case_words_are_written_in_is_misread() -> None:
    """A hairline typewriter face read "tỉnh Nam ĐỊnh" (the dot below read as a capital's), and FreeMono
    "huyện Vũ THư" (held-out 13500000): compared with the unit list letter for letter but not case for
    case, both were accepted as written. Minorities' places open on two capitals that are two consonants,
    or a consonant and Y, as the official list writes them."""
    from digitize.extract.normalize import free_text, name
    from digitize.extract.text import misread_words

    assert misread_words("tỉnh Nam ĐỊnh, NGUYỄn VĂn, ThÁi, xã Hải MInh") == [
        "ĐỊnh",
        "NGUYỄn",
        "VĂn",
        "ThÁi",
        "MInh",
    ]
    assert misread_words("huyện Vũ THư, TRần, NGô, KHánh") == ["THư", "TRần", "NGô", "KHánh"]
    assert misread_words("xã Ia HDreh, KBang, ÊBur, AYun, H'MLay, TP.HCM, HĐND, Nam Định, NAM ĐỊNH") == []
    assert free_text("xóm 11, xã Hải Minh, tỉnh Nam ĐỊnh").ok is False
    assert name("NGUYỄn Văn An").ok is False


def test_a_two_word_name_opening_with_van_has_likely_lost_its_surname() -> None:
    """A typewritten register cell "Vũ Văn Tuấn" read "Văn Tuấn" (the short first word dropped) was
    accepted: "Văn" is a surname too, but far more often the middle name."""
    from digitize.extract.normalize import name

    lost = name("Văn Tuấn")
    assert lost.ok is False and "the surname may be lost" in lost.reason
    assert name("Vũ Văn Tuấn").ok is True and name("Lê Hoa").ok is True


def test_a_word_in_small_letters_not_shaped_as_a_syllable_is_misread() -> None:
    """A black-ink hand's "nhà" read "nhd" (Playpen Sans, a face no set uses): every letter Vietnamese, but
    no syllable ends in d, and "Tại nhd riêng" names no unit for a list to check. Words with capitals
    (names, minorities' places, abbreviations) and units written short are not held to the shape."""
    from digitize.extract.normalize import free_text
    from digitize.extract.text import misread_words

    assert misread_words("Tại nhd riêng, xã Bảo Đài") == ["nhd"]
    assert misread_words("xóm 4, ngõ 12, ngách 3, khối 2, ấp Bình, thôn Ea Kly, kiệt 5, hẻm 9") == []
    assert misread_words("người nghiêng khuya quỵ huyết xuất oai gì giữa") == []
    assert misread_words("tp. Hồ Chí Minh, q. 1, p. 5, tx. Sơn Tây, Krông Búk, M'Đrắk, H'LEO") == []
    assert free_text("Tại nhd riêng").ok is False


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        (
            "GIẤY CHỨNG NHẬN KẾT HÔN",
            DocumentType.MARRIAGE_REGISTRATION,
        ),  # was death: "giấy chứng" ~ "chứng tử"
        ("GIẤY CHỨNG NHẬN ĐĂNG KÝ KẾT HÔN", DocumentType.MARRIAGE_REGISTRATION),
        ("TRÍCH LỤC ĐĂNG KÝ KHAI SINH", DocumentType.BIRTH_REGISTRATION),
        ("TRÍCH LỤC ĐĂNG KÝ KHAI TỬ", DocumentType.DEATH_REGISTRATION),
        ("TRÍCH LỤC ĐĂNG KÝ KẾT HÔN", DocumentType.MARRIAGE_REGISTRATION),
        ("GIẤY CHỨNG TỬ", DocumentType.DEATH_REGISTRATION),
        ("TRÍCH LỤC KHAIT SINH", DocumentType.BIRTH_REGISTRATION),  # one letter slipped
    ],
)
def test_a_title_alone_with_the_labels_every_paper_shares_says_which_paper(
    title: str, kind: DocumentType
) -> None:
    lines = [title, "Họ, chữ đệm, tên: NGUYỄN VĂN AN", "Ngày, tháng, năm sinh: 12/03/2015"]
    assert classify([_page(" ".join(lines))]) is kind


def test_every_official_unit_name_is_written_with_vietnamese_letters() -> None:
    """The orthography check against the maintained unit list, old and current: 9387 names, among them
    "Đắk R'Lấp", "Xã Tr'Hy", "Xã Đamb'ri" (an apostrophe after a toneless head)."""
    from vietnamadminunits.database import query

    from digitize.extract.text import misread_words

    names = {r["ward"] for r in query("SELECT DISTINCT ward FROM admin_units")}
    for column in ("ward", "district", "province"):
        names |= {r[column] for r in query(f"SELECT DISTINCT {column} FROM admin_units_legacy")}
    assert len(names) > 9000
    assert [n for n in names if n and misread_words(n)] == []


def test_a_hamlet_number_holding_a_letter_no_address_is_written_with_is_not_accepted() -> None:
    """A probe in Liberation Sans (seed 9900000): "xóm 8Ø" (a 0 read as Ø beside the 8) was accepted, its
    second reading giving the same figure 8, as Ø is no figure."""
    assert not normalize.free_text("xóm 8Ø, xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương").ok
    assert normalize.free_text("xóm 10A, xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương").ok
