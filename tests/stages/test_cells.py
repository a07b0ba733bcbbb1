"""Table cells read again alone, with the real engine: a name beside a cell written on two lines."""

from __future__ import annotations

import random
from typing import Any

import pytest

from digitize.config import Config
from digitize.engines import build_engine
from samplegen.sets import MAKERS
from samplegen.style import TUNE, make_style
from tests.extract.test_versions import run


@pytest.fixture(scope="module")
def ocr() -> Any:
    return build_engine(Config().ocr)


def test_a_name_beside_a_two_line_cell_is_read_again_in_its_cell(ocr: Any) -> None:
    """A marriage book in Noto Serif, each row's residence written on two lines: the page pass made one
    line of the name and the residence's lines beside it, and lost the name's marks and gained strokes
    ("` ˆ ` Huynh Xuân Cương", "Trần Hoaiyen"); read alone in its cell, the name is whole."""
    rng = random.Random(38)  # tuning set, seed 1, document 37
    style = make_style(rng, TUNE, rng.random() < 0.3)
    generated = MAKERS["marriage_register_table"](rng, style)
    _, values = run(generated, ocr)
    names = [v for v in values if v[0].endswith("full_name")]
    assert len(names) == 12
    assert sum(v[1] == v[2] for v in names) >= 10, [v for v in names if v[1] != v[2]]
    assert [v for v in values if v[3] and v[1] != v[2]] == []
