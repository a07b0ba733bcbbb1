"""Text folding and fuzzy token comparison for Vietnamese labels read by OCR."""

from __future__ import annotations

import difflib
import unicodedata


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
    return " ".join(kept.split())


_HIDDEN = {"Cc", "Cf", "Co", "Cs"}
