"""`digitize_document`: one document from bytes to a signed PDF/A, fields and metadata.

The CLI, the in-process jobs and the RQ jobs all call this function. It does no I/O of its own beyond what
the engine and signer it is given do: loading from and saving to storage is the caller's business.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace

import numpy as np

from digitize.config import Config
from digitize.errors import InputError, ProcessingError, SohoaError
from digitize.executor import Executor, SerialExecutor
from digitize.extract import extract_records
from digitize.extract.layout import recognise_form
from digitize.extract.metadata import document_metadata
from digitize.model import (
    DocumentResult,
    DocumentType,
    Geometry,
    ImageArray,
    OcrPage,
    PageImage,
    ProcessedPage,
    Record,
    SourceDocument,
)
from digitize.ports import DocumentSigner, OcrEngine
from digitize.stages.build_pdf import PdfPage, build_pdf
from digitize.stages.cells import read_cells
from digitize.stages.classify import classify
from digitize.stages.clean import OcrInput, binarize, downscale, prepare_for_ocr, text_height, to_gray
from digitize.stages.deskew import apply_geometry, measure_geometry
from digitize.stages.dewarp import flatten_page
from digitize.stages.figures import read_figures
from digitize.stages.italic import read_slanted
from digitize.stages.load import load
from digitize.stages.ocr import drop_strays, mark_pen_ink, ocr_page, read_lost_words
from digitize.stages.reread import reread_ids
from digitize.stages.thin import read_thin
from digitize.timing import stage

#: Under this orientation confidence the engine's orientation detection (OSD) is asked which way is up.
#: The line-shape test picks the text direction reliably and up from down nearly so: on the 43 benchmark
#: and sample pages it was right down to a confidence of 0.10 and wrong once (0.48, a phone photo of a
#: register page), which the upside-down re-read below catches. OSD costs about 0.4 s a page, and at the
#: old threshold of 0.6 it ran on a third of the pages to change one; now it runs only when the lines
#: themselves were not found (confidence 0).
ORIENTATION_TRUST = 0.05
#: Mean OCR word confidence under which the page is also read turned by 180°, and by how much that
#: reading must be better to be believed.
UPSIDE_DOWN_SUSPECT = 0.7
UPSIDE_DOWN_MARGIN = 0.15
#: Median letter height (px) of 12–13 pt print scanned at 300 dpi; scales linearly with resolution.
LETTER_PX_AT_300_DPI = 27.0


@dataclass
class PageTask:
    """One page to read. `read_page` takes the page out of the task, so that once it is turned upright
    nothing holds the scan as loaded any more (29 MB for an A4 page at 300 dpi, 52 MB for A3)."""

    page: PageImage | None
    engine: OcrEngine
    min_dpi: int
    figures_language: str = ""

    def take_page(self) -> PageImage:
        page, self.page = self.page, None
        if page is None:
            raise ProcessingError("a page was read twice", fix="report this as a bug")
        return page


def read_page(task: PageTask) -> ProcessedPage:
    """Geometry, cleanup and OCR of one page (runs in a worker process when the executor has several)."""
    page = task.take_page()
    with stage("flatten"):
        pixels, flattened = flatten_page(page.pixels)
    with stage("geometry"):
        geometry = replace(measure_geometry(pixels), flattened=flattened)
        upright = apply_geometry(pixels, geometry)
        page = replace(page, pixels=upright)
        del pixels  # the last reference to a turned page's pixels as loaded
    if geometry.orientation_confidence < ORIENTATION_TRUST:
        with stage("orientation OSD"):
            upright, geometry = _second_opinion(task.engine, upright, geometry)
    with stage("resolution"):
        dpi, warnings = _resolution(page, upright, flattened, task.min_dpi)
    with stage("cleanup"):
        prepared = prepare_for_ocr(upright)
    with stage("OCR"):
        ocr = ocr_page(task.engine, prepared.gray, dpi, page.number, prepared.letter_px)
    if ocr.words and ocr.confidence < UPSIDE_DOWN_SUSPECT:
        with stage("OCR upside down"):
            turned = _maybe_upside_down(task.engine, upright, geometry, prepared, ocr, dpi)
        upright, geometry, prepared, ocr = turned
    image = PageImage(page.number, upright, dpi, page.dpi_estimated or flattened)
    ocr = replace(ocr, rules_x=prepared.rules_x, rules_y=prepared.rules_y)
    with stage("OCR cells again"):
        ocr = drop_strays(read_cells(task.engine, prepared.gray, ocr, dpi))
    with stage("OCR lost words again"):
        ocr = read_lost_words(task.engine, prepared.gray, ocr, dpi)
    with stage("OCR thin strokes again"):
        ocr = read_thin(task.engine, prepared.gray, ocr, dpi, prepared.letter_px)
    with stage("OCR figures again"):
        ocr = read_figures(task.engine, prepared.gray, ocr, dpi, task.figures_language)
    with stage("OCR slanted figures again"):
        ocr = read_slanted(task.engine, prepared.gray, ocr, dpi)
    with stage("pen ink"):
        ocr = mark_pen_ink(upright, ocr)
    if not ocr.words:
        warnings.append(f"page {page.number}: no text found (blank page or unreadable scan)")
    return ProcessedPage(image=image, geometry=geometry, ocr=ocr, warnings=tuple(warnings))


def _maybe_upside_down(
    engine: OcrEngine, upright: ImageArray, geometry: Geometry, prepared: OcrInput, ocr: OcrPage, dpi: float
) -> tuple[ImageArray, Geometry, OcrInput, OcrPage]:
    """Read the page turned half round when it read badly; keep whichever reads clearly better.

    Upright text reads at 0.85–0.97 mean word confidence here, upside-down text at 0.40–0.50. Pages of
    capitals and digits (register tables) give the line-shape test little to go on, and it can be sure
    and wrong; this check costs a second OCR pass only on pages that read badly anyway.
    """
    height, width = prepared.gray.shape
    turned = OcrInput(
        np.ascontiguousarray(prepared.gray[::-1, ::-1]),
        tuple(sorted(width - 1 - x for x in prepared.rules_x)),
        tuple(sorted(height - 1 - y for y in prepared.rules_y)),
        prepared.letter_px,
    )
    other = ocr_page(engine, turned.gray, dpi, ocr.number, turned.letter_px)  # as enlarged as the first
    if other.confidence < ocr.confidence + UPSIDE_DOWN_MARGIN:
        return upright, geometry, prepared, ocr
    rotation = (geometry.rotation + 180) % 360
    flipped = replace(geometry, rotation=rotation, orientation_confidence=other.confidence)
    return np.ascontiguousarray(upright[::-1, ::-1]), flipped, turned, other


def _second_opinion(
    engine: OcrEngine, upright: ImageArray, geometry: Geometry
) -> tuple[ImageArray, Geometry]:
    """Ask the engine which way is up when the text-line asymmetry could not tell."""
    verdict = engine.detect_rotation(to_gray(upright))
    if verdict is None or verdict[0] == 0:
        return upright, geometry
    turn = verdict[0]
    turned = np.ascontiguousarray(np.rot90(upright, -turn // 90))
    rotation = (geometry.rotation + turn) % 360
    return turned, replace(geometry, rotation=rotation, orientation_confidence=min(1.0, verdict[1] / 5))


def _resolution(
    page: PageImage, upright: ImageArray, flattened: bool, min_dpi: int
) -> tuple[float, list[str]]:
    dpi = page.dpi
    warnings: list[str] = []
    if page.dpi_estimated or flattened:
        small, scale = downscale(to_gray(upright), 2400)
        height = text_height(binarize(small)) / scale
        if height > 0:
            dpi = float(min(600.0, max(100.0, round(300.0 * height / LETTER_PX_AT_300_DPI))))
    if dpi < min_dpi:
        warnings.append(
            f"page {page.number}: about {dpi:.0f} dpi, under the {min_dpi} dpi minimum; rescan if legible"
        )
    return dpi, warnings


def _extract(doc_type: DocumentType, pages: list[OcrPage], config: Config, errors: list[str]) -> list[Record]:
    try:
        return extract_records(doc_type, pages, config.extract)
    except Exception as exc:  # a flaw in reading one form must not lose the archival copy of the document
        errors.append(
            f"field extraction failed ({exc.__class__.__name__}); archived and signed, key the fields by hand"
        )
        return []


def digitize_document(
    source: SourceDocument,
    config: Config,
    engine: OcrEngine,
    signer: DocumentSigner | None,
    executor: Executor | None = None,
) -> DocumentResult:
    """Process one document end to end. Raises SohoaError subclasses (with the file named) on failure."""
    started = time.perf_counter()
    try:
        return _digitize(source, config, engine, signer, executor or SerialExecutor(), started)
    except SohoaError as exc:
        raise exc.for_file(source.name) from None


def _digitize(
    source: SourceDocument,
    config: Config,
    engine: OcrEngine,
    signer: DocumentSigner | None,
    executor: Executor,
    started: float,
) -> DocumentResult:
    with stage("load"):
        sha256 = hashlib.sha256(source.data).hexdigest()
        tasks = [
            PageTask(page, engine, config.load.min_dpi, config.ocr.figures_language)
            for page in load(source, config.load)
        ]
    pages = tuple(executor.map(read_page, tasks))  # each task gives its page up to `read_page`
    del tasks
    errors = [w for p in pages for w in p.warnings]
    if not any(p.ocr.words for p in pages):
        raise InputError(
            "no text was found on any page", fix="check that the scan is not blank, black or unreadable"
        )
    ocr_pages = [p.ocr for p in pages]
    with stage("classify"):
        doc_type = classify(ocr_pages)
    if doc_type is DocumentType.UNKNOWN:
        message = "unknown document type: archived and signed, but no fields were extracted"
        if config.extract.unknown_type_is_error:
            raise ProcessingError(message, fix="check the document, or add an extractor for its type")
        errors.append(message + "; classify it by hand in review")
    with stage("extract"):
        records = _extract(doc_type, ocr_pages, config, errors)
    with stage("reread IDs"):
        records = reread_ids(engine, {p.image.number: p.image for p in pages}, records, config.extract)
    metadata = document_metadata(doc_type, ocr_pages, records, source.name)
    form = recognise_form(doc_type, ocr_pages, records)
    with stage("PDF/A"):
        pdf = build_pdf([PdfPage(p.image, p.ocr) for p in pages], metadata)
    signature = None
    if signer is not None:
        with stage("seal"):
            pdf, signature = signer.sign(pdf)
        errors.extend(signature.warnings)
    return DocumentResult(
        source=source.name,
        sha256=sha256,
        document_type=doc_type,
        pages=pages,
        records=tuple(records),
        metadata=metadata,
        pdf=pdf,
        signature=signature,
        errors=tuple(errors),
        seconds=round(time.perf_counter() - started, 3),
        form=form,
    )
