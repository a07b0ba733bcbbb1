"""Drawing sheets of paper with Vietnamese text, and the ways scans and photos of them go wrong."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = {
    "serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "serif-bold": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "noto-serif": "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "noto-serif-bold": "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf",
    "sans": "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "sans-bold": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "dejavu-serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "dejavu-serif-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
}
HAND_FONTS = Path(__file__).parent / "fonts"
FONT_DIRS |= {
    "liberation-sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "liberation-sans-bold": "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "dejavu-sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "dejavu-sans-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "noto-serif-italic": "/usr/share/fonts/truetype/noto/NotoSerif-Italic.ttf",
    "sans-italic": "/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf",
    # typewriter faces (values typed on a printed form); DejaVu Sans Mono lacks most Vietnamese glyphs
    "liberation-mono": "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
    "freemono": "/usr/share/fonts/truetype/freefont/FreeMono.ttf",
    # a thin slab-serif typewriter face, as a worn ribbon or a light golf ball types (see fonts/README.md)
    "ibm-plex-mono-extralight": str(HAND_FONTS / "typewriter" / "ibm-plex-mono-extralight.ttf"),
    **{f"hand-{p.stem}": str(p) for p in sorted(HAND_FONTS.glob("*.ttf"))},
}
MM_PER_INCH = 25.4


@lru_cache(maxsize=64)
def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_DIRS[name], px)


@dataclass
class Sheet:
    """A page being drawn, with the ground-truth text lines in reading order."""

    width_mm: float
    height_mm: float
    dpi: int = 300
    body_font: str = "serif"
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        size = (self.px(self.width_mm), self.px(self.height_mm))
        self.image = Image.new("RGB", size, (255, 255, 255))
        self.draw = ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        return round(mm / MM_PER_INCH * self.dpi)

    def font_px(self, pt: float) -> int:
        return round(pt / 72 * self.dpi)

    def put(
        self,
        x_mm: float,
        y_mm: float,
        text: str,
        pt: float = 13,
        bold: bool = False,
        align: str = "left",
        font_name: str | None = None,
        ink: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        """Draw text with its baseline-top at y; x is the left edge, centre or right edge by align."""
        name = font_name or self.body_font
        bold_name = f"{name}-bold"
        f = font(bold_name if bold and bold_name in FONT_DIRS else name, self.font_px(pt))
        width = self.draw.textlength(text, font=f)
        x = self.px(x_mm)
        if align == "center":
            x -= round(width / 2)
        elif align == "right":
            x -= round(width)
        self.draw.text((x, self.px(y_mm)), text, font=f, fill=ink)

    def text_width_mm(self, text: str, pt: float, font_name: str | None = None, bold: bool = False) -> float:
        name = font_name or self.body_font
        bold_name = f"{name}-bold"
        f = font(bold_name if bold and bold_name in FONT_DIRS else name, self.font_px(pt))
        return float(self.draw.textlength(text, font=f)) / self.dpi * MM_PER_INCH

    def dots(self, x0_mm: float, x1_mm: float, y_mm: float, pt: float) -> None:
        """A dotted leader to write on, as on printed blank forms."""
        y = self.px(y_mm) + round(self.font_px(pt) * 0.95)
        for x in range(self.px(x0_mm), self.px(x1_mm), max(4, self.dpi // 40)):
            self.draw.ellipse([x, y, x + 2, y + 2], fill=(60, 60, 60))

    def line(
        self,
        y_mm: float,
        *segments: tuple[float, str],
        pt: float = 13,
        bold: bool = False,
        align: str = "left",
    ) -> None:
        """One line of text made of segments at x positions; recorded as one ground-truth line."""
        for x_mm, text in segments:
            self.put(x_mm, y_mm, text, pt=pt, bold=bold, align=align)
        self.lines.append(" ".join(text for _, text in segments))

    def rule(self, x0: float, y0: float, x1: float, y1: float, width_px: int = 3) -> None:
        self.draw.line(
            [(self.px(x0), self.px(y0)), (self.px(x1), self.px(y1))], fill=(0, 0, 0), width=width_px
        )

    def seal(self, cx_mm: float, cy_mm: float, label: str, radius_mm: float = 17) -> None:
        """A red round seal, drawn over whatever is there (seals make colour scans mandatory)."""
        r = self.px(radius_mm)
        cx, cy = self.px(cx_mm), self.px(cy_mm)
        overlay = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(overlay)
        red = (200, 30, 40, 170)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=8)
        d.ellipse([cx - r + 22, cy - r + 22, cx + r - 22, cy + r - 22], outline=red, width=4)
        star_r = r * 0.35
        points = [
            (
                cx + (star_r if k % 2 == 0 else star_r * 0.4) * math.sin(math.pi * k / 5),
                cy - (star_r if k % 2 == 0 else star_r * 0.4) * math.cos(math.pi * k / 5),
            )
            for k in range(10)
        ]
        d.polygon(points, fill=red)
        d.text((cx, cy + r // 2), label, font=font("sans-bold", self.font_px(6)), fill=red, anchor="mm")
        self.image = Image.alpha_composite(self.image.convert("RGBA"), overlay).convert("RGB")
        self.draw = ImageDraw.Draw(self.image)

    def signature(self, x_mm: float, y_mm: float, rng: random.Random) -> None:
        """A blue pen scribble where the signer signed."""
        pts = [(self.px(x_mm + i * 4), self.px(y_mm + rng.uniform(-4, 4))) for i in range(9)]
        self.draw.line(pts, fill=(20, 40, 160), width=5, joint="curve")


def rotate_quarter(image: Image.Image, turns_ccw: int) -> Image.Image:
    return image.rotate(90 * turns_ccw, expand=True) if turns_ccw % 4 else image


def skew(image: Image.Image, degrees_ccw: float) -> Image.Image:
    return image.rotate(
        degrees_ccw, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255)
    )


def add_specks(image: Image.Image, rng: random.Random, count: int = 400) -> Image.Image:
    """Scanner dust: small dark specks, and a slight blur."""
    arr = np.array(image)
    h, w = arr.shape[:2]
    nprng = np.random.default_rng(rng.randrange(2**32))
    ys = nprng.integers(0, h, count)
    xs = nprng.integers(0, w, count)
    for y, x in zip(ys, xs, strict=True):
        r = int(nprng.integers(1, 4))
        arr[max(0, y - r) : y + r, max(0, x - r) : x + r] = 40
    return Image.fromarray(arr).filter(ImageFilter.GaussianBlur(0.6))


def add_grey_background_noise(image: Image.Image, rng: random.Random, sigma: float = 10.0) -> Image.Image:
    arr = np.asarray(image).astype(np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, sigma, arr.shape[:2])[..., None]
    return Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))


def phone_photo(
    page: Image.Image, rng: random.Random, out_size: tuple[int, int] = (4000, 3000)
) -> Image.Image:
    """Photograph a page on a desk: perspective, a dark background, uneven light, JPEG-like softness."""
    w_out, h_out = out_size
    nprng = np.random.default_rng(rng.randrange(2**32))
    desk = np.full((h_out, w_out, 3), (70, 52, 38), np.float32)
    desk += nprng.normal(0, 6, (h_out, w_out, 1)).astype(np.float32)
    pw, ph = page.size
    scale = min(w_out * 0.86 / pw, h_out * 0.86 / ph)
    tw, th = pw * scale, ph * scale
    x0, y0 = (w_out - tw) / 2, (h_out - th) / 2
    jitter = [(rng.uniform(-0.04, 0.04) * tw, rng.uniform(-0.04, 0.04) * th) for _ in range(4)]
    corners = [[x0, y0], [x0 + tw, y0], [x0 + tw, y0 + th], [x0, y0 + th]]
    dst = np.array(corners, dtype=np.float32) + np.array(jitter, dtype=np.float32)
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(np.asarray(page), matrix, (w_out, h_out), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), matrix, (w_out, h_out)) > 127
    photo = np.where(mask[..., None], warped.astype(np.float32), desk)
    yy, xx = np.mgrid[0:h_out, 0:w_out].astype(np.float32)
    light = 1.02 - 0.35 * (xx / w_out) * (0.6 + 0.4 * yy / h_out)
    photo *= light[..., None]
    photo = cv2.GaussianBlur(photo, (3, 3), 0.8)
    return Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))
