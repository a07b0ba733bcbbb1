"""How a generated paper looks: the part it belongs to (tuning or held out), its typefaces, ink and hand,
its wordings, how dates and names are written, and how its rows of labels and values are laid out.
Typefaces, hands and wordings come in two pools, one a part (see `samplegen.versions`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from samplegen.people import Person
from samplegen.render import Sheet

TUNE, HOLDOUT = "tune", "holdout"
TYPED_FONTS = {
    TUNE: ("serif", "noto-serif", "sans"),
    HOLDOUT: ("dejavu-serif", "liberation-sans", "dejavu-sans"),
}
#: Handwriting-style faces, four a part; the last two of each were added later (see `_hand`).
HANDS = {
    TUNE: ("hand-patrick-hand", "hand-mali", "hand-pangolin", "hand-sedgwick-ave"),
    HOLDOUT: ("hand-sriracha", "hand-itim", "hand-shantell-sans", "hand-grape-nuts"),
}
#: Values typed by typewriter on a printed form: labels in the form's face, values in a monospace one. The
#: held-out FreeMono's strokes are half as wide as any other face's; the tuning part's thin face (IBM Plex
#: Mono ExtraLight) was added after a report showed that gap, so that thin strokes are tuned on at all.
TYPEWRITERS = {TUNE: ("liberation-mono", "ibm-plex-mono-extralight"), HOLDOUT: ("freemono",)}
#: Shares of typed papers whose values are typewritten, and typed on the form's dotted leaders.
TYPEWRITTEN, ON_LEADERS = 0.2, 0.25
#: Typed papers whose rows are not laid out with each value right after its label: in a ruled grid (label
#: and value in cells, as some offices print their forms) when tuning, with the values of one-field rows
#: aligned at a tab stop in the held-out part; and the share of typed papers laid out so.
LAYOUTS = {TUNE: "grid", HOLDOUT: "tabstop"}
OTHER_LAYOUT = 0.25
TAB_MM = 72.0
INKS = ((0, 0, 0), (25, 45, 150), (20, 20, 90))


@dataclass(frozen=True)
class Style:
    split: str
    font: str  # printed labels
    value_font: str  # values: the same typeface when typed, a hand when filled in
    ink: tuple[int, int, int] = (0, 0, 0)
    hand: bool = False
    colon: bool = True
    leaders: bool = False
    caps: bool = True
    date_style: str = "dd/mm/yyyy"  # or d/m/yyyy, or words ("ngày 5 tháng 3 năm 1990")
    layout: str = "inline"  # or one of LAYOUTS


def make_style(rng: random.Random, split: str, hand: bool) -> Style:
    font = rng.choice(TYPED_FONTS[split])
    style = Style(
        split,
        font,
        _hand(rng, split) if hand else font,
        _ink(rng) if hand else (0, 0, 0),
        hand,
        colon=hand or rng.random() < 0.85,
        leaders=hand,
        caps=rng.random() < 0.75,
        date_style=rng.choice(("dd/mm/yyyy", "dd/mm/yyyy", "d/m/yyyy")),
    )
    return style if hand else _printed_form(style, rng)


#: Share of hand-filled papers written in black ink (registers kept in black pen, forms filled in black):
#: the OCR cannot tell that ink from print, so nothing marks their values as handwriting.
BLACK_INK = 1 / 3


def _ink(rng: random.Random) -> tuple[int, int, int]:
    """A pen's ink: the blue drawn as before this variation existed, black from a side generator."""
    blue = rng.choice(INKS[1:])
    return INKS[0] if random.Random(repr(rng.getstate()) + "/ink").random() < BLACK_INK else blue


def _hand(rng: random.Random, split: str) -> str:
    """A hand for a filled-in paper. The generator draws as it did when each part had two hands, and the
    face comes from a side generator, so the papers of a seed differ only in their hand."""
    rng.choice(HANDS[split][:2])
    return random.Random(repr(rng.getstate())).choice(HANDS[split])


def _printed_form(style: Style, rng: random.Random) -> Style:
    """Some typed papers are printed forms filled in on a typewriter or printer, on the dotted leaders.
    Drawn from the generator's state without advancing it, so everything else about each paper (people,
    wordings, capture) is drawn as it was before this variation existed."""
    side = random.Random(repr(rng.getstate()))
    typewritten = side.random() < TYPEWRITTEN
    leaders = side.random() < ON_LEADERS
    layout = LAYOUTS[style.split] if side.random() < OTHER_LAYOUT else "inline"
    return replace(
        style,
        value_font=_typewriter(rng, style.split) if typewritten else style.value_font,
        leaders=leaders and layout != "grid",
        layout=layout,
    )


def _typewriter(rng: random.Random, split: str) -> str:
    """The part's typewriter face, from a side generator of its own (papers drawn before the second face
    existed keep everything else)."""
    return random.Random(repr(rng.getstate()) + "/typewriter").choice(TYPEWRITERS[split])


def wording(style: Style, rng: random.Random, *options: str) -> str:
    """The first wording when tuning; another one, when there is one, in the held-out part."""
    if style.split == HOLDOUT and len(options) > 1:
        return rng.choice(options[1:])
    return options[0]


def shown_date(d: date, style: Style) -> str:
    if style.date_style == "d/m/yyyy":
        return f"{d.day}/{d.month}/{d.year}"
    if style.date_style == "words":
        return f"ngày {d.day} tháng {d.month} năm {d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def shown_name(p: Person, style: Style) -> str:
    return p.full_name if style.caps else p.title_name


Row = list[tuple[str, str]]  # (label as printed, value as written) segments of one line
COLUMN_X = {1: (20.0,), 2: (20.0, 110.0), 3: (20.0, 80.0, 135.0)}


def draw_rows(
    s: Sheet, y: float, rows: list[Row], style: Style, rng: random.Random, pt: float = 12.0
) -> float:
    """Labels printed, values typed or written on dotted leaders; returns the y below the last row."""
    step = pt * 0.78
    for row in rows:
        xs = COLUMN_X[len(row)]
        ends = [*xs[1:], 192.0]
        texts, extra, cuts = [], 0, []
        for (label, value), x, end in zip(row, xs, ends, strict=True):
            printed = f"{label}:" if style.colon else label
            s.put(x, y, printed, pt=pt, font_name=style.font)
            lw = _value_offset(s, printed, pt, style, len(row))
            cuts += [x - 2.0, x + lw - 1.5] if style.layout == "grid" else []
            if style.leaders:
                s.dots(x + lw, end - 3, y, pt)
            size = pt * (1.15 if style.hand else 1.0)
            # a value too long for its line goes on under itself, as a clerk or a printer wraps it
            parts = wrap_text(s, value, size, style.value_font, end - 3 - x - lw) if value else []
            for k, part in enumerate(parts):
                jitter = rng.uniform(-0.8, 0.4) if style.hand else 0.0
                lift = 0.6 if style.hand else 0.0
                s.put(
                    x + lw,
                    y + k * step + jitter - lift,
                    part,
                    pt=size,
                    font_name=style.value_font,
                    ink=style.ink,
                )
                if k and style.leaders:
                    s.dots(x + lw, end - 3, y + k * step, pt)
            extra = max(extra, len(parts) - 1)
            texts.append(f"{printed} {value}".strip())
        s.lines.append(" ".join(texts))
        if cuts:
            _grid_row(s, y, step * (1 + extra), [*cuts, 194.0])
        y += step * (1 + extra)
    if style.layout == "grid":
        s.rule(18.0, y - 2.0, 194.0, y - 2.0, width_px=2)
    return y


def _value_offset(s: Sheet, printed: str, pt: float, style: Style, cells: int) -> float:
    """How far right of its label's start a value begins: just after the label, past a grid's rule, or
    at the tab stop (rows of one field)."""
    width = s.text_width_mm(printed, pt, style.font) + 2.0
    if style.layout == "grid":
        return width + 1.5
    if style.layout == "tabstop" and cells == 1:
        return max(width, TAB_MM - COLUMN_X[1][0])
    return width


def _grid_row(s: Sheet, y: float, height: float, xs: list[float]) -> None:
    """A grid row's rules: along its top and down each cell's edges (the first at the sheet's margin)."""
    top = y - 2.0
    s.rule(18.0, top, 194.0, top, width_px=2)
    for x in (max(18.0, xs[0]), *xs[1:]):
        s.rule(x, top, x, top + height, width_px=2)


def wrap_text(s: Sheet, text: str, pt: float, font: str, width_mm: float, bold: bool = False) -> list[str]:
    """Lines of at most width_mm, broken after a comma when one fits (addresses wrap by unit)."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and s.text_width_mm(trial, pt, font, bold) > width_mm:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line]
