"""Text folding and fuzzy token comparison for Vietnamese labels read by OCR."""

from __future__ import annotations

import difflib
import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics ("Họ, chữ đệm" → "ho, chu dem"); đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


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
