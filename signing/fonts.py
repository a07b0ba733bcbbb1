"""The visible mark's font, cut down once per process to the characters a mark can contain.

pyHanko embeds a subset of the stamp font in every signature; subsetting the full Noto Serif (its layout
tables above all) took about 0.4 s per signature. Cutting it once to the texts the mark can show (the
configured copy type and agency, printable ASCII for the time), without layout tables or hinting, leaves
a font of a hundred-odd glyphs that every signature embeds in milliseconds. Texts are drawn in NFC, where
every Vietnamese letter is one precomposed glyph, so no shaping (GSUB/GPOS) is needed; kerning is the only
thing given up. The cut font is cached under the system temp dir, named by a hash of the source font and
the character set.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path

from fontTools import subset

#: ASCII, Latin-1 and Latin Extended-A/B letters, combining tones, Vietnamese precomposed letters.
_CUT_VERSION = 5  # bump when the subsetting options change
_RANGES = ((0x20, 0x7E),)


def mark_characters(*texts: str) -> list[int]:
    codes = {c for low, high in _RANGES for c in range(low, high + 1)}
    codes.update(ord(ch) for text in texts for ch in unicodedata.normalize("NFC", text) if not ch.isspace())
    return sorted(codes)


def mark_font(font_path: str, *texts: str) -> str:
    """Path of the cut-down font (made on first use; safe when several processes race to make it)."""
    codes = mark_characters(*texts)
    source = Path(font_path).read_bytes()
    key = hashlib.sha256(source + repr((codes, _CUT_VERSION)).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "sohoa-fonts"
    target = folder / f"{Path(font_path).stem}-{key}.ttf"
    if target.exists():
        return str(target)
    folder.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.layout_features = []  # NFC Vietnamese needs no shaping: every letter has a precomposed glyph
    options.hinting = False
    options.layout_closure = False  # no glyphs pulled in through GSUB alternates (pyHanko keeps every gid)
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(font_path, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".ttf")
    os.close(fd)
    subset.save_font(font, tmp, options)
    os.replace(tmp, target)
    return str(target)
