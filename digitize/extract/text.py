"""Text folding and fuzzy token comparison for Vietnamese labels read by OCR."""

from __future__ import annotations

import difflib
import re
import unicodedata
from itertools import takewhile


def fold(text: str) -> str:
    """Lower case without diacritics ("Họ, chữ đệm" → "ho, chu dem"); đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


#: The five tone marks (grave, acute, tilde, hook above, dot below): the vowel marks (â ă ê ô ơ ư) stay.
TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def toneless(text: str) -> str:
    """Lower case without tone marks, vowel shapes kept: "Vợ" → "vơ", "Võ" → "vo", "Sổ" → "sô"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONES))


def similar(a: str, b: str) -> float:
    """Similarity of two folded tokens in [0, 1]."""
    if a == b:
        return 1.0
    if len(a) < 3 or len(b) < 3:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def plain_text(text: str) -> str:
    """NFC text without control, format (zero-width, bidirectional overrides) or private-use characters,
    whitespace folded: what is stored or served of text read from a page or typed by a person."""
    kept = "".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) not in _HIDDEN)
    return " ".join(kept.translate(_SLASHES).split())


_HIDDEN = {"Cc", "Cf", "Co", "Cs"}
#: The fraction and division slashes a thin face's "/" is read as ("02⁄2014"): no paper writes them.
_SLASHES = str.maketrans("\u2044\u2215", "//")


#: What Vietnamese letters carry (NFD): a vowel's shape (circumflex, breve, horn) and one tone; đ is a letter
#: of its own. A mark on a consonant ("Diêñ": the tilde of ễ read over the n) or two tones on one syllable
#: ("Hoàại") is a misreading; so are I, l, O, o beside digits in one token ("xóm I1", "5O").
_VOWELS = frozenset("aeiouy")
_VOWEL_MARKS = frozenset("\u0302\u0306\u031b") | TONES
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ")
_DIGIT_LOOKALIKES = frozenset("IlOo")


def misread_words(text: str) -> list[str]:
    """The words of a name or place no Vietnamese text is written with."""
    words = (w.strip(",.;:()'\"-–") for w in unicodedata.normalize("NFC", text).split())
    return [w for w in words if w and not _well_written(w)]


def _well_written(word: str) -> bool:
    if _mixed_case(word):
        return False
    if any(ch.isdigit() for ch in word):  # "10A", "3/2"; not "1O", nor "8Ø" (a 0 read, accepted beside an 8)
        letters = [ch for ch in unicodedata.normalize("NFD", word.lower()) if ch.isalpha()]
        return not any(ch in _DIGIT_LOOKALIKES for ch in word) and all(ch in _LETTERS for ch in letters)
    apostrophes = [i for i, ch in enumerate(word) if ch in "'’"]
    if len(apostrophes) > 1 or (apostrophes and tone_marks(word[: apostrophes[0]])):
        return False  # after a toneless head, as in "R'Lấp", "Tr'Hy", "Đamb'ri": not after "Trạm'Y" (a speck)
    base, tones = "", ""
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch):
            if base not in _VOWELS or ch not in _VOWEL_MARKS:
                return False
            tones += ch if ch in TONES else ""
        elif ch.isalpha():
            if ch not in _LETTERS:
                return False
            base = ch
        else:
            base = ""  # an apostrophe or a hyphen inside a name ("R'Lấp")
    return len(tones) <= 1 and _closed_with_its_tone(word, tones) and _a_syllable(word)


#: A run of letters: the parts of a word cased apart ("R'Lấp", "Ê-đê", "TP.HCM").
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _mixed_case(word: str) -> bool:
    """Letters in none of the cases words are written in: a capital after a small letter, or small
    letters after three capitals, or after two that are a vowel's or one Vietnamese consonant's ("NGUYỄn",
    "ĐỊnh", "THư": a typewriter face's marks misread). Ethnic minorities' places open on two capitals
    that are two consonants, or a consonant and Y ("KBang", "HDreh", "ÊBur", "AYun")."""
    for part in _LETTER_RUN.findall(word):
        head = "".join(takewhile(str.isupper, part))
        rest = part[len(head) :]
        if any(ch.isupper() for ch in rest) or (rest and len(head) >= 3):
            return True
        if rest and len(head) == 2 and (fold(head[1]) in "aeiou" or fold(head) in _ONE_CONSONANT):
            return True
    return False


#: Two letters Vietnamese writes one consonant with: never two capitals of a word in small letters.
_ONE_CONSONANT = frozenset(("ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr"))


#: The shape of a Vietnamese syllable, folded: an initial consonant, one to three vowels, a final consonant
#: ("nghiêng", "người", "quốc", "ấp"). A word in small letters that is not so shaped is a misreading ("nhd"
#: for "nhà", a black-ink hand); names and abbreviations, with capitals, are left alone: ethnic minorities'
#: places are written with other initials and finals ("Krông Búk", "Đắk Lắk").
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)


#: Units written short in small letters ("tp. Hồ Chí Minh", "p. 5", "tx. Sơn Tây").
_UNIT_ABBREVIATIONS = frozenset(("tp", "tx", "tt", "p", "q", "h", "x"))


def _a_syllable(word: str) -> bool:
    letters = fold(word)
    if word != word.lower() or not letters.isalpha() or letters in _UNIT_ABBREVIATIONS:
        return True
    return bool(_SYLLABLE.fullmatch(letters))


def tone_marks(text: str) -> str:
    """The tone marks a text carries, in order ("Hoằng" → the grave accent; "Hoang" → "")."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if ch in TONES)


#: A syllable closed by c, ch, p or t carries the sắc or nặng tone ("Quốc", "Ngọc"): without ("Quôc",
#: "Ngoc", "Bac") its tone mark was lost. Words without a vowel (abbreviations: "UBND", "TT") are not
#: syllables.
STOPS = ("c", "ch", "p", "t")
STOP_TONES = ("\u0301", "\u0323")


def _closed_with_its_tone(word: str, tones: str) -> bool:
    letters = fold(word)
    if not any(ch in _VOWELS for ch in letters) or not letters.endswith(STOPS):
        return True
    return bool(tones) and tones in STOP_TONES
