"""Image cleanup + OCR: this project against OCRmyPDF on the same pages, in the same run.

    .venv/bin/pip install -e ".[bench]"; apt-get install ghostscript unpaper pngquant   (or setup.sh --bench)
    .venv/bin/python bench/ocr.py                 # 44 pages, both engines
    .venv/bin/python bench/ocr.py --only ours     # this project only (while tuning)
    .venv/bin/python bench/ocr.py --limit 8       # the first 8 pages

The page set is generated here with seeds the tests do not use: clean A4 scans in three fonts, letters,
skewed (3–6°) noisy scans with dust, pages turned 90/180/270°, 200 dpi scans, A3 register pages and phone
photos of forms and register books. Every page has its ground-truth text.

Each side runs in its own child process pinned to one core (`taskset`-like affinity), pages one after
another in one warm process: OCRmyPDF through its Python API with `--deskew --rotate-pages -l vie
--output-type pdfa --jobs 1` and the true resolution as `--image-dpi` (200 for phone photos, which carry
none); this project through `digitize_document` (the same call as `digitize run`) without a signer, which
also classifies, extracts fields and writes its own PDF/A-2b. The parent samples the resident memory of
the child's whole process tree (Tesseract and Ghostscript subprocesses included) every 10 ms.

CER = Levenshtein distance / truth length, text NFC-normalised and whitespace folded, in each engine's own
reading order. "words missed" ignores order: the share of truth words (as a multiset) absent from the
output, which separates recognition from layout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 7300
PHONE_DPI_GUESS = 200


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # clean | skewed | turned | 200dpi | a3 | phone
    path: str
    dpi: int
    truth: str
    a3: bool


# ---------------------------------------------------------------- page set


def _recipes() -> list[tuple[str, str, dict[str, object]]]:
    """(kind, maker, options) for the 44 pages, in the order they run."""
    forms = ["birth_extract", "death_extract", "marriage_extract"]
    fonts = ["serif", "noto-serif", "sans"]
    out: list[tuple[str, str, dict[str, object]]] = []
    out += [("clean", forms[i % 3], {"font": fonts[i // 2 % 3]}) for i in range(6)]
    out += [("clean", "admin_letter", {}) for _ in range(2)]
    out += [("skewed", forms[i % 3], {"font": fonts[i % 3], "skew": 3 + i * 0.3}) for i in range(10)]
    out += [("turned", forms[i % 3], {"font": fonts[i % 3], "turns": 1 + i % 3}) for i in range(8)]
    out += [("200dpi", forms[i % 3], {"font": fonts[(i + 1) % 3]}) for i in range(6)]
    out += [("a3", "birth_register_page", {"font": fonts[i]}) for i in range(2)]
    out += [("phone", forms[i % 3], {"font": fonts[i % 3]}) for i in range(5)]
    out += [("phone", "birth_register_page", {"font": fonts[i % 3]}) for i in range(5)]
    return out


def _maker(name: str) -> Callable[..., object]:
    from samplegen import forms, register

    return getattr(forms, name, None) or getattr(register, name)  # type: ignore[no-any-return]


def make_pages(folder: Path) -> list[Case]:
    from PIL import Image

    from samplegen.render import add_grey_background_noise, add_specks, phone_photo, rotate_quarter, skew

    cases: list[Case] = []
    for i, (kind, maker, opts) in enumerate(_recipes()):
        rng = random.Random(SEED + i)
        kwargs = {"font": opts["font"]} if "font" in opts else {}
        if maker == "birth_register_page":
            kwargs["rows"] = 6 + i % 3
        generated = _maker(maker)(rng, **kwargs)
        sheet = generated.sheets[i % len(generated.sheets)]  # type: ignore[attr-defined]
        image, dpi, ext = sheet.image, 300, "png"
        if kind == "skewed":
            sign = -1 if i % 2 else 1
            image = add_grey_background_noise(
                add_specks(skew(image, sign * float(opts["skew"])), rng), rng, 5
            )
        elif kind == "turned":
            image = skew(image, rng.uniform(-1.0, 1.0))
            image = add_grey_background_noise(rotate_quarter(image, int(opts["turns"])), rng, 3)
        elif kind == "200dpi":
            image = image.resize((image.width * 2 // 3, image.height * 2 // 3), Image.Resampling.LANCZOS)
            dpi = 200
        elif kind == "phone":
            image, dpi, ext = phone_photo(image, rng), PHONE_DPI_GUESS, "jpg"
        path = folder / f"{i:02d}_{kind}_{maker}.{ext}"
        if ext == "jpg":
            image.save(path, quality=88)
        else:
            image.save(path, dpi=(dpi, dpi))
        cases.append(
            Case(path.stem, kind, str(path), dpi, "\n".join(sheet.lines), maker.endswith("register_page"))
        )
    return cases


# ---------------------------------------------------------------- the two sides (run in child processes)


def run_ours(cases: list[Case]) -> list[dict[str, object]]:
    from digitize.config import Config
    from digitize.engines import build_engine
    from digitize.executor import tune_process
    from digitize.model import SourceDocument
    from digitize.pipeline import digitize_document
    from digitize.timing import measured
    from signing.signers import build_signer

    tune_process()  # as `digitize run` and `digitize worker` do
    config = Config()
    engine = build_engine(config.ocr)
    signer = build_signer(config.signing, Path(tempfile.mkdtemp(prefix="bench-ocr-pki-")))
    results = []
    for case in cases:
        started = time.time()
        text, error = "", ""
        with measured() as stages:
            try:
                source = SourceDocument(Path(case.path).name, Path(case.path).read_bytes())
                result = digitize_document(source, config, engine, signer)
                text = "\n".join(p.ocr.text for p in result.pages)
                del result, source  # as the CLI does: the pixels must not live on into the next page
            except Exception as exc:  # noqa: BLE001 - a failed page is a result here
                error = f"{type(exc).__name__}: {exc}"
        results.append(_outcome(case, started, text, error) | {"stages": stages})
    return results


def run_floor(cases: list[Case]) -> list[dict[str, object]]:
    """The physical floor: one `tesseract PAGE - -l vie` (Debian's CLI, one LSTM pass) per page."""
    results = []
    for case in cases:
        started = time.time()
        done = subprocess.run(["tesseract", case.path, "-", "-l", "vie"], capture_output=True, text=True)
        error = "" if done.returncode == 0 else done.stderr[-300:]
        results.append(_outcome(case, started, done.stdout, error))
    return results


def cli_command(work: Path) -> tuple[list[str], dict[str, str]]:
    env = os.environ | {"SOHOA_STORAGE_DATA_DIR": str(work / "data")}
    return [sys.executable, "-m", "cli.main", "run", "--jobs", "1", "--out", str(work / "out")], env


def warm_up_cli(case: Case, work: Path) -> None:
    """Run once before measuring (in the parent, not counted): the test PKI's keys are made on first use."""
    command, env = cli_command(work)
    subprocess.run([*command[:-2], case.path], env=env, cwd=ROOT, capture_output=True, check=True)


def run_cli(cases: list[Case], work: Path) -> list[dict[str, object]]:
    """`digitize run` itself over the pages (start-up, seal and storage included), one process; a page run
    before, in a data folder of its own, makes the test PKI so key generation is not counted."""
    pages, out = work / "pages", work / "out"
    pages.mkdir(exist_ok=True)
    for stale in pages.iterdir():  # a `--keep` folder holds the links of an earlier run's page set
        stale.unlink()
    for case in cases:
        target = pages / Path(case.path).name
        if not target.exists():
            target.symlink_to(case.path)
    command, env = cli_command(work)
    started = time.time()
    subprocess.run([*command, str(pages)], env=env, cwd=ROOT, capture_output=True)
    ended = time.time()
    results = []
    for case in cases:
        text_file = out / f"{Path(case.path).stem}.txt"
        text = text_file.read_text(encoding="utf-8") if text_file.exists() else ""
        results.append({"name": case.name, "start": started, "end": ended, "text": text, "error": ""})
    return results


def _outcome(case: Case, started: float, text: str, error: str) -> dict[str, object]:
    return {"name": case.name, "start": started, "end": time.time(), "text": text, "error": error}


def run_ocrmypdf(cases: list[Case], work: Path) -> list[dict[str, object]]:
    import logging

    import ocrmypdf

    logging.disable(logging.WARNING)
    results = []
    for case in cases:
        started = time.time()
        sidecar, text, error = work / f"{case.name}.txt", "", ""
        try:
            ocrmypdf.ocr(
                case.path,
                work / f"{case.name}.pdf",
                deskew=True,
                rotate_pages=True,
                language=["vie"],
                output_type="pdfa",
                jobs=1,
                image_dpi=case.dpi,
                sidecar=sidecar,
                progress_bar=False,
            )
            text = sidecar.read_text(encoding="utf-8")
        except Exception as exc:  # noqa: BLE001
            error = f"{type(exc).__name__}: {exc}"
        results.append(_outcome(case, started, text, error))
    return results


def child_main(side: str, cases_file: Path, out_file: Path) -> None:
    cases = [Case(**c) for c in json.loads(cases_file.read_text())]
    if side == "ours":
        results = run_ours(cases)
    elif side == "floor":
        results = run_floor(cases)
    elif side == "run":
        results = run_cli(cases, out_file.parent)
    else:
        results = run_ocrmypdf(cases, out_file.parent)
    out_file.write_text(json.dumps(results, ensure_ascii=False))


# ---------------------------------------------------------------- measuring


class TreeMemory:
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                return
            self.samples.append((time.time(), total))
            time.sleep(0.01)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float = 0.0, end: float = float("inf")) -> int:
        return max((rss for t, rss in self.samples if start <= t <= end), default=0)


Run = tuple[list[dict[str, object]], "TreeMemory", float, float]  # results, memory, wall s, CPU s


def run_side(side: str, cases: list[Case], work: Path) -> Run:

    cases_file, out_file = work / "cases.json", work / f"{side}.json"
    cases_file.write_text(json.dumps([asdict(c) for c in cases], ensure_ascii=False))
    env = os.environ | {"OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(ROOT)}
    if side == "run":
        warm_up_cli(cases[0], work)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", side, str(cases_file), str(out_file)],
        env=env,
        preexec_fn=lambda: os.sched_setaffinity(0, {0}),
    )
    memory = TreeMemory(child.pid)
    # The kernel's account of the child and every descendant it waited for (`digitize run`, tesseract).
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    wall = time.perf_counter() - started
    memory.stop()
    if child.returncode != 0:
        raise SystemExit(f"{side} child failed with exit code {child.returncode}")
    return json.loads(out_file.read_text()), memory, wall, cpu


def fold(text: str) -> str:
    text = text.replace("\f", " ")
    return " ".join(unicodedata.normalize("NFC", text).split())


def distance(truth: str, text: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(fold(truth), fold(text)))


def words_missed(truth: str, text: str) -> tuple[int, int]:
    want, got = Counter(fold(truth).split()), Counter(fold(text).split())
    return sum((want - got).values()), sum(want.values())


@dataclass
class Tally:
    pages: int = 0
    chars: int = 0
    errors: int = 0
    words: int = 0
    missed: int = 0
    empty: int = 0
    seconds: float = 0.0

    def add(self, case: Case, result: dict[str, object]) -> None:
        text = str(result["text"])
        self.pages += 1
        self.chars += len(fold(case.truth))
        self.errors += distance(case.truth, text)
        missed, words = words_missed(case.truth, text)
        self.missed, self.words = self.missed + missed, self.words + words
        self.empty += not fold(text)
        self.seconds += float(result["end"]) - float(result["start"])  # type: ignore[arg-type]

    def cer(self) -> str:
        return f"{100 * self.errors / max(1, self.chars):.2f} %"


KINDS = ["clean", "skewed", "turned", "200dpi", "a3", "phone"]


def summarise(cases: list[Case], side: str, results: list[dict[str, object]]) -> dict[str, Tally]:
    tallies = {k: Tally() for k in [*KINDS, "scans", "all"]}
    for case, result in zip(cases, results, strict=True):
        for key in (case.kind, "scans" if case.kind != "phone" else "", "all"):
            if key:
                tallies[key].add(case, result)
        if result["error"]:
            print(f"  {side} {case.name}: {result['error']}")
    return tallies


def report(cases: list[Case], runs: dict[str, Run]) -> None:
    sides = list(runs)
    tallies = {side: summarise(cases, side, runs[side][0]) for side in sides}
    print(f"\n{len(cases)} pages; each side on one core (affinity), pages one after another in one process\n")
    header = "| pages | n | " + " | ".join(f"CER {s} | words missed {s} | empty {s}" for s in sides) + " |"
    print(header)
    print("|" + "---|" * (2 + 3 * len(sides)))
    for kind in [*KINDS, "scans", "all"]:
        n = tallies[sides[0]][kind].pages
        if not n:
            continue
        cells = []
        for s in sides:
            t = tallies[s][kind]
            cells += [t.cer(), f"{100 * t.missed / max(1, t.words):.2f} %", str(t.empty)]
        print(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    print("\n| side | wall s | CPU s | pages/min per core | s/page p50 | peak RSS | peak RSS on A3 pages |")
    print("|---|---|---|---|---|---|---|")
    speed = {}
    for s in sides:
        results, memory, wall, cpu = runs[s]
        per_page = sorted(float(r["end"]) - float(r["start"]) for r in results)  # type: ignore[arg-type]
        a3 = [r for c, r in zip(cases, results, strict=True) if c.a3]
        a3_peak = max((memory.peak(float(r["start"]), float(r["end"])) for r in a3), default=0)  # type: ignore[arg-type]
        speed[s] = 60 * len(cases) / wall
        print(
            f"| {s} | {wall:.1f} | {cpu:.1f} | {speed[s]:.1f} | {per_page[len(per_page) // 2]:.2f} | "
            f"{memory.peak() / 2**20:.0f} MB | {a3_peak / 2**20:.0f} MB |"
        )
    if "ours" in runs and "ocrmypdf" in runs:
        print(f"\nspeed ratio ours / OCRmyPDF: {speed['ours'] / speed['ocrmypdf']:.2f}×")
    if "floor" in runs:
        floor = runs["floor"][3]
        ratios = ", ".join(f"{s} {runs[s][3] / floor:.2f}×" for s in sides if s != "floor")
        print(f"\nCPU against the floor (one tesseract pass per page, {floor:.1f} CPU s): {ratios}")
    if "ours" in runs:
        stage_table(cases, runs["ours"][0])


def stage_table(cases: list[Case], results: list[dict[str, object]]) -> None:
    """Mean CPU seconds per page of each pipeline stage, per page class (from `digitize.timing`)."""
    kinds = [k for k in KINDS if any(c.kind == k for c in cases)]
    names: list[str] = []
    for r in results:
        names += [n for n in r.get("stages", {}) if n not in names]  # type: ignore[union-attr]
    print("\n| stage (CPU s per page) | " + " | ".join(kinds) + " | all |")
    print("|---|" + "---|" * (len(kinds) + 1))
    for name in [*names, "total"]:
        cells = []
        for kind in [*kinds, "all"]:
            chosen = [r for c, r in zip(cases, results, strict=True) if kind in ("all", c.kind)]
            values = [_stage(r, name) for r in chosen]
            cells.append(f"{sum(values) / max(1, len(values)):.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


def _stage(result: dict[str, object], name: str) -> float:
    stages: dict[str, float] = result.get("stages", {})  # type: ignore[assignment]
    return sum(stages.values()) if name == "total" else stages.get(name, 0.0)


def per_page(cases: list[Case], runs: dict[str, Run]) -> None:
    print("\n| page | " + " | ".join(f"CER {s} | s {s}" for s in runs) + " |")
    print("|---|" + "---|---|" * len(runs))
    for i, case in enumerate(cases):
        cells = []
        for side in runs:
            result = runs[side][0][i]
            seconds = float(result["end"]) - float(result["start"])  # type: ignore[arg-type]
            cer = distance(case.truth, str(result["text"])) / max(1, len(fold(case.truth)))
            cells += [f"{100 * cer:.2f} %", f"{seconds:.2f}"]
        print(f"| {case.name} | " + " | ".join(cells) + " |")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sides",
        default="floor,run,ours,ocrmypdf",
        help="floor (tesseract CLI once per page), run (`digitize run`), ours (per stage), ocrmypdf",
    )
    parser.add_argument("--only", help="one side (same as --sides SIDE)")
    parser.add_argument("--kinds", help=f"only these page classes, comma-separated, from {','.join(KINDS)}")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--per-page", action="store_true", help="also print CER and time of every page")
    parser.add_argument("--keep", type=Path, help="write the pages and outputs here instead of a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        listing = work / "pages.json"
        if args.keep and listing.exists():  # pages generated by an earlier run into the same folder
            cases = [Case(**c) for c in json.loads(listing.read_text())]
        else:
            cases = make_pages(work)
            listing.write_text(json.dumps([asdict(c) for c in cases], ensure_ascii=False))
        if args.kinds:
            cases = [c for c in cases if c.kind in args.kinds.split(",")]
        if args.limit:
            cases = cases[: args.limit]
        sides = [args.only] if args.only else args.sides.split(",")
        runs = {}
        for side in sides:
            (work / side).mkdir(exist_ok=True)
            runs[side] = run_side(side, cases, work / side)
        report(cases, runs)
        if args.per_page:
            per_page(cases, runs)


if __name__ == "__main__":
    main()
