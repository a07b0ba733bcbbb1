"""How a check lowers a value: `flag` halves its confidence (it may stay accepted above the threshold),
`needs_review` sends it to a person whatever its confidence; both record the reason beside the others."""

from __future__ import annotations

from dataclasses import replace

from digitize.config import ExtractConfig
from digitize.model import FieldStatus, FieldValue

PENALTY = 0.5
#: How a value read with a glyph under the engine's doubt says so in its reason (`forms.make_value`).
LOW_OCR = "low OCR confidence"


def flag(value: FieldValue, reason: str, config: ExtractConfig) -> FieldValue:
    confidence = round(value.confidence * PENALTY, 3)
    accepted = value.status is FieldStatus.ACCEPTED and confidence >= config.accept_threshold
    status = FieldStatus.ACCEPTED if accepted else FieldStatus.NEEDS_REVIEW  # a flag never promotes
    joined = f"{value.reason}; {reason}" if value.reason else reason
    return replace(value, confidence=confidence, status=status, reason=joined)


def needs_review(value: FieldValue, reason: str, config: ExtractConfig) -> FieldValue:
    """Never accept: confidence capped below the threshold and the reason recorded."""
    confidence = min(value.confidence, round(config.accept_threshold * PENALTY, 3))
    joined = f"{value.reason}; {reason}" if value.reason else reason
    return replace(value, confidence=confidence, status=FieldStatus.NEEDS_REVIEW, reason=joined)
