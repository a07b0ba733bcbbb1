"""Stage `italic`: the figures of a page's slanted writing read again, stood upright.

Tesseract's Vietnamese model reads a slanted "1" as "7": values typed in an italic face (a probe in Noto
Sans Italic) came out "7994" for 1994 and "771" for 111 at 0.88–0.96, confidently enough to be accepted.
Stood upright the same figures read right. Letters do not gain: upright, the one-storey "a" of italic faces
reads "ó" ("Khánh" as "Khónh"), which the page pass reads right.

A form's labels are printed upright and its values may be typed in italic or written in a slanted hand, so
slant is measured word by word (`shear.slant_of`). A page counts as slanted when many of its words lean by
about the same angle; on it each run of such words on a line, cut where a table rule runs between two of
them, is read again alone and upright. Where the two readings give other figures, the upright ones are
kept when they are figures only, and either way the word is left doubtful: it goes to review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from itertools import groupby

from digitize.model import ImageArray, OcrPage, OcrWord
from digitize.ports import OcrEngine
from digitize.stages.ocr import group_lines, mean_confidence, read_run, runs_by_cell
from digitize.stages.shear import slant_of

#: A word of this many letters or figures or fewer has too few stems to show its own slant: it leans as its
#: longer neighbours do ("xã" measured −2° between italic words of 12°).
SHORT_WORD = 2
#: Slants of italic faces and slanted hands (degrees). Upright words measure 0 ± 2°, a few up to 28° (a
#: date's slashes, "XÃ"): on eight typed tuning pages 0–3 longer words of 106–186 fell in this band, on
#: pages typed in Noto Sans Italic 31–86 (32–47 %), on the slanted hand-filled ones 30–42 %.
BAND = (8, 16)
#: A page is slanted when this share of its longer words, and at least MIN_WORDS, lean within the band;
#: then its words within NEAR degrees of the page's commonest slant count as slanted.
SHARE, MIN_WORDS, NEAR = 0.1, 5, 4
#: Confidence left to a word whose figures the two readings disagree on: under any threshold of
#: acceptance. Misreadings of italic are confident, so neither reading's own confidence can be trusted.
DISAGREED = 0.4


def read_slanted(engine: OcrEngine, gray: ImageArray, page: OcrPage, dpi: float) -> OcrPage:
    """The page with the figures of its slanted runs checked against an upright reading (the page itself
    when it is not slanted, or when both readings agree)."""
    slants = {i: slant_of(_pixels(gray, w)) for i, w in enumerate(page.words) if not _short(w)}
    leaning = _page_slant(list(slants.values()))
    if leaning is None:
        return page
    slanted = {i for i, degrees in slants.items() if abs(degrees - leaning) <= NEAR}
    words: list[OcrWord] = []
    for line in _lines(page.words):
        for tilted, run in _runs(line, slanted, page.rules_x):
            words.extend(_merged(run, read_run(engine, gray, run, dpi, upright=True)) if tilted else run)
    if words == list(page.words):
        return page
    lined = group_lines(words)
    return replace(page, words=tuple(lined), confidence=round(mean_confidence(lined), 4))


def _pixels(gray: ImageArray, word: OcrWord) -> ImageArray:
    return gray[word.box[1] : word.box[3], word.box[0] : word.box[2]]


def _short(word: OcrWord) -> bool:
    return sum(ch.isalnum() for ch in word.text) <= SHORT_WORD


def _page_slant(slants: list[int]) -> int | None:
    """The commonest slant in the band when enough of the words lean so, else None (an upright page)."""
    banded = Counter(d for d in slants if BAND[0] <= d <= BAND[1])
    if sum(banded.values()) < max(MIN_WORDS, SHARE * len(slants)):
        return None
    return banded.most_common(1)[0][0]


def _lines(words: Sequence[OcrWord]) -> Iterator[list[tuple[int, OcrWord]]]:
    """The page's words with their indexes, line by line."""
    for _, line in groupby(enumerate(words), key=lambda iw: iw[1].line_key):
        yield list(line)


def _merged(old: list[OcrWord], new: list[OcrWord]) -> list[OcrWord]:
    """The page pass's words where the upright reading agrees with them or the two do not pair word for
    word (then a word with figures is doubtful); where they pair, as `_chosen` picks."""
    if not new:
        return old
    matcher = SequenceMatcher(a=[w.text for w in old], b=[w.text for w in new], autojunk=False)
    merged: list[OcrWord] = []
    for tag, i0, i1, j0, j1 in matcher.get_opcodes():
        pairs = zip(old[i0:i1], new[j0:j1], strict=True) if i1 - i0 == j1 - j0 else None
        if tag == "equal":
            merged.extend(old[i0:i1])
        elif pairs is not None:
            merged.extend(_chosen(a, b) for a, b in pairs)
        else:
            merged.extend(_doubtful(w) if _has_figures(w) else w for w in old[i0:i1])
    return merged


def _has_figures(*words: OcrWord) -> bool:
    """Whether any of the words holds a figure: the only reading slant misleads that standing the word
    upright corrects (a slanted "1" reads "7": "1994" as "7994", "111" as "771"; read upright they come
    right). Letters it does not: upright, the one-storey "a" of italic faces reads "ó" ("Khánh" as
    "Khónh", "xã" as "xõ"), which the page pass reads right."""
    return any(ch.isdigit() for word in words for ch in word.text)


def _chosen(page_pass: OcrWord, upright: OcrWord) -> OcrWord:
    """Of two readings of one word that differ: the likelier figures, doubtful; a name in capitals as the
    page pass read it, doubtful (Liberation Sans Italic: "VŨ" read "VÕ", upright "VŨ"; both surnames);
    other letters as the page pass read them."""
    if _has_figures(page_pass, upright):
        return _doubtful(_likelier(page_pass, upright))
    letters = [ch for ch in page_pass.text if ch.isalpha()]
    return _doubtful(page_pass) if len(letters) >= 2 and all(ch.isupper() for ch in letters) else page_pass


def _likelier(page_pass: OcrWord, upright: OcrWord) -> OcrWord:
    """The upright reading when it is figures and punctuation only, else the page pass's."""
    return upright if not any(ch.isalpha() for ch in upright.text) else page_pass


def _doubtful(word: OcrWord) -> OcrWord:
    return replace(word, confidence=min(word.confidence, DISAGREED))


def _runs(
    line: list[tuple[int, OcrWord]], slanted: set[int], rules_x: Sequence[int]
) -> Iterator[tuple[bool, list[OcrWord]]]:
    """The line cut into runs of words all slanted or all upright, and where a table rule runs between.
    A short word leans as its longer neighbours on the line do."""
    longer = [(i, w) for i, w in line if not _short(w)]
    leaning = []
    for i, w in line:
        beside = [j in slanted for j, _ in _neighbours(longer, w)]
        leaning.append(i in slanted if not _short(w) else bool(beside) and all(beside))
    yield from runs_by_cell([w for _, w in line], leaning, rules_x)


def _neighbours(longer: list[tuple[int, OcrWord]], word: OcrWord) -> list[tuple[int, OcrWord]]:
    """The longer words just before and just after `word` on its line."""
    before = [iw for iw in longer if iw[1].box[0] < word.box[0]]
    after = [iw for iw in longer if iw[1].box[0] > word.box[0]]
    return before[-1:] + after[:1]
