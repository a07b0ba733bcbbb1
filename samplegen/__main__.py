"""Write the committed sample set: `python -m samplegen sample_scans/` (deterministic).

Each document gets `<name>.truth.json` beside it in the shape of the CLI's JSON contract, plus the text of
every page for measuring OCR error rates.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from samplegen.forms import Generated, birth_extract, death_extract, marriage_extract
from samplegen.register import admin_letter, birth_register_page
from samplegen.render import add_grey_background_noise, add_specks, phone_photo, rotate_quarter, skew


@dataclass(frozen=True)
class Variant:
    """How one generated document is turned into the file a scanner or phone would give."""

    name: str
    make: Callable[[random.Random], Generated]
    ext: str
    quarter_turns_ccw: int = 0
    skew_ccw: float = 0.0
    specks: bool = False
    noise: float = 0.0
    phone: bool = False
    dpi: int = 300


SAMPLES = [
    Variant("birth_extract_clean", birth_extract, "png"),
    Variant("birth_extract_skewed", birth_extract, "png", skew_ccw=4.2, specks=True),
    Variant("birth_extract_rotated180", birth_extract, "jpg", quarter_turns_ccw=2, noise=4.0),
    Variant("birth_extract_200dpi", lambda rng: birth_extract(rng, dpi=200), "png", dpi=200),
    Variant("death_extract_rotated90", death_extract, "png", quarter_turns_ccw=1),
    Variant("marriage_extract_2pages", marriage_extract, "tif", skew_ccw=-1.5),
    Variant("birth_register_page_clean", lambda rng: birth_register_page(rng, rows=6), "png"),
    Variant("birth_register_page_phone", lambda rng: birth_register_page(rng, rows=8), "jpg", phone=True),
    Variant("admin_letter_2pages", admin_letter, "pdf"),
]


def degrade(image: Image.Image, v: Variant, rng: random.Random) -> Image.Image:
    if v.phone:
        return phone_photo(image, rng)
    if v.skew_ccw:
        image = skew(image, v.skew_ccw)
    image = rotate_quarter(image, v.quarter_turns_ccw)
    if v.specks:
        image = add_specks(image, rng)
    if v.noise:
        image = add_grey_background_noise(image, rng, v.noise)
    return image


def save_pages(images: list[Image.Image], path: Path, v: Variant) -> None:
    dpi = (72, 72) if v.phone else (v.dpi, v.dpi)
    first, rest = images[0], images[1:]
    if v.ext == "jpg":
        first.save(path, quality=88, dpi=dpi)
    elif v.ext == "png":
        first.save(path, dpi=dpi, optimize=True)
    elif v.ext == "tif":
        grey = [im.convert("L") for im in images]
        grey[0].save(path, save_all=True, append_images=grey[1:], compression="tiff_deflate", dpi=dpi)
    elif v.ext == "pdf":
        fixed = time.gmtime(1735689600)  # Pillow stamps "now" otherwise: keep the file reproducible
        first.save(
            path,
            save_all=True,
            append_images=rest,
            resolution=float(v.dpi),
            quality=85,
            creationDate=fixed,
            modDate=fixed,
        )
    else:
        raise ValueError(v.ext)


def truth(v: Variant, gen: Generated, file_name: str) -> dict[str, object]:
    rotation = (90 * v.quarter_turns_ccw) % 360
    return {
        "source": file_name,
        "document_type": gen.document_type,
        "pages": [
            {"number": i + 1, "rotation": rotation, "skew_deg": v.skew_ccw, "text": "\n".join(sheet.lines)}
            for i, sheet in enumerate(gen.sheets)
        ],
        "metadata": gen.metadata,
        "records": [{k: {"value": val} for k, val in rec.items()} for rec in gen.records],
        "capture": {"phone": v.phone, "dpi": v.dpi, "noise": v.noise, "specks": v.specks},
    }


def render_variant(v: Variant, seed: int) -> tuple[Generated, list[Image.Image]]:
    rng = random.Random(seed)
    gen = v.make(rng)
    return gen, [degrade(sheet.image, v, rng) for sheet in gen.sheets]


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "sample_scans")
    out.mkdir(parents=True, exist_ok=True)
    for seed, v in enumerate(SAMPLES, start=1):
        gen, images = render_variant(v, seed)
        path = out / f"{v.name}.{v.ext}"
        save_pages(images, path, v)
        doc_truth = truth(v, gen, path.name)
        (out / f"{v.name}.truth.json").write_text(
            json.dumps(doc_truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"{path}  {len(images)} page(s)  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
