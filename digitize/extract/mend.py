"""Words a face's look-alike letters garbled, mended where exactly one mending is a word the field is
written with ("Mat" → "Mai", "Mtnh" → "Minh", "Hà Nộ1" → "Hà Nội", "VũŨ" → "Vũ", "Ñguyễn" → "Nguyễn",
"Ngô.Văn" → "Ngô Văn").

A thin or typewriter face's narrow "i" is read as "t", "1" or "l", a letter is read twice (once more with
another case or tone), a tone mark lands on a consonant, a speck at a word's edge becomes a quote mark. A
mended value is what the clerk is offered, with what was read beside it; it is never accepted: the
mending is a guess that the known word is the one on the paper.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from digitize.extract.text import STOP_TONES, STOPS, TONES, fold, tone_marks, toneless

#: What a thin or typewriter face's letters are read as: a narrow "i" as t, 1, l, ! or |, a "t" as "+".
LOOK_ALIKES = {"i": "t1l!|", "t": "+"}
#: Marks a speck or a serif is read as at a word's edge; a name or a place never has one there, and a
#: name no mark at all.
EDGE_MARKS = "'\"‘’“”`"
NAME_MARKS = EDGE_MARKS + ",.;:„"
MENDED = "read '{}', offered as '{}': check it on the paper"
_VOWELS = frozenset("aeiouy")  # bases of the decomposed letters (â is a and a circumflex)


def mend(
    text: str,
    known: Callable[[str], bool],
    suspect: Callable[[str], bool] | None = None,
    marks: str = EDGE_MARKS,
) -> tuple[str, list[str]]:
    """The text with each suspect word (by default: each unknown one) mended into the one known word its
    mendings give and the marks at its edges taken off (punctuation after a word is the text's own unless
    marks names it); and a reason for each word changed."""
    words, reasons = text.split(" "), []
    punctuation = "".join(ch for ch in ",.;:" if ch not in marks)
    for k, word in enumerate(words):
        bare = word.strip(punctuation)
        core = bare.strip(marks)
        if not core or known(core) or not (suspect or _unknown(known))(core):
            found = core
        else:
            found = _mended(core, known) or _split_at_marks(core, known, marks) or core
        if found != bare:
            words[k] = word.replace(bare, found)
            reasons.append(MENDED.format(bare, found))
    return " ".join(w for w in words if w), reasons


def _unknown(known: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda word: not known(word)


def _mended(word: str, known: Callable[[str], bool]) -> str | None:
    """The one known word among the word's mendings, if only one is known."""
    found = {c for c in _candidates(word) if known(c)}
    return found.pop() if len(found) == 1 else None


def _split_at_marks(word: str, known: Callable[[str], bool], marks: str) -> str | None:
    """Known words a speck read as a mark between them joined into one ("Ngô.Văn" → "Ngô Văn"), apart."""
    parts = "".join(" " if ch in marks else ch for ch in word).split()
    return " ".join(parts) if len(parts) > 1 and all(known(p) for p in parts) else None


def _candidates(word: str) -> set[str]:
    once = {
        without_double(word),
        *_letters_for_look_alikes(word),
        *_tone_off_consonant(word),
        *_stop_tones(word),
    }
    return once | {c for w in once for c in _letters_for_look_alikes(without_double(w))}


def without_double(word: str) -> str:
    """A letter read twice, the second time in another case or with another tone ("Châầu", "NữỮ");
    a letter written twice alike ("xoong") stays."""
    out: list[str] = []
    for ch in word:
        if out and ch != out[-1] and ch.isalpha() and toneless(ch) == toneless(out[-1]):
            continue
        out.append(ch)
    return "".join(out)


def _letters_for_look_alikes(word: str) -> list[str]:
    """The word with one, then every, look-alike read as the letter it stands for (a letter opening the
    word is taken as written; in a word of capitals, the capitals' look-alikes: "MAT" for MAI)."""
    capitals = word.upper() == word
    table = {
        alike.upper() if capitals else alike: letter.upper() if capitals else letter
        for letter, alikes in LOOK_ALIKES.items()
        for alike in alikes
    }
    spots = [k for k, ch in enumerate(word) if ch in table and (k or not ch.isalpha())]
    one = [word[:k] + table[word[k]] + word[k + 1 :] for k in spots]
    every = "".join(table[ch] if k in spots else ch for k, ch in enumerate(word))
    return [*one, every] if spots else []


def _tone_off_consonant(word: str) -> list[str]:
    """A mark read over a consonant taken off ("Ñguyễn"), or moved onto each vowel when the word has no
    tone of its own ("Diêñ" → "Diễn")."""
    marks = _marks_by_letter(word)
    stray = [m for base, ms in marks for m in ms if base.lower() not in _VOWELS and base.isalpha()]
    if not stray:
        return []
    kept = ["".join([base, *(ms if base.lower() in _VOWELS else [])]) for base, ms in marks]
    tone = next((m for m in stray if m in TONES), None)
    moved = _on_each_vowel(kept, [tone]) if tone and not tone_marks("".join(kept)) else []
    return [unicodedata.normalize("NFC", "".join(kept)), *moved]


def _stop_tones(word: str) -> list[str]:
    """A syllable closed by c, ch, p or t read without its tone ("Ngoc"), with the sắc or the nặng on
    each of its vowels."""
    if not fold(word).endswith(STOPS) or tone_marks(word):
        return []
    return _on_each_vowel(["".join([base, *ms]) for base, ms in _marks_by_letter(word)], STOP_TONES)


def _on_each_vowel(letters: list[str], tones: Sequence[str]) -> list[str]:
    """The word of these letters (each decomposed: a base and its marks) with each tone on each vowel."""
    vowels = [k for k, letter in enumerate(letters) if letter[0].lower() in _VOWELS]
    return [
        unicodedata.normalize("NFC", "".join([*letters[:k], letters[k] + tone, *letters[k + 1 :]]))
        for k in vowels
        for tone in tones
    ]


def _marks_by_letter(word: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out:
            out[-1][1].append(ch)
        else:
            out.append((ch, []))
    return out
