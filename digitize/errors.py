"""The one exception tree of số hóa.

Every error names what went wrong and what the user should do about it. The CLI, the HTTP API and the
workers each map this tree to exit codes / HTTP statuses / job outcomes in exactly one place.
"""

from __future__ import annotations


class SohoaError(Exception):
    """Root of every error raised on purpose by this project."""

    exit_code: int = 1
    #: True when trying the same thing again later may succeed (network, locks, a busy server).
    transient: bool = False

    def __init__(self, message: str, *, fix: str = "", source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.source = source

    def for_file(self, source: str) -> SohoaError:
        """Attach the name of the file the error is about (kept if already set)."""
        if not self.source:
            self.source = source
        return self

    def __str__(self) -> str:
        text = f"{self.source}: {self.message}" if self.source else self.message
        return f"{text} — {self.fix}" if self.fix else text


class InputError(SohoaError):
    """The input file itself is unusable (corrupt, truncated, wrong type, encrypted, too large)."""

    exit_code = 1


class ProcessingError(SohoaError):
    """A stage could not produce its output for a valid input (OCR timeout, no text found, ...)."""

    exit_code = 1


class SigningError(SohoaError):
    """The document could not be signed, or the signing key/certificate is unusable."""

    exit_code = 1


class StorageError(SohoaError):
    """The object store or the repository refused or failed an operation."""

    exit_code = 1


class TransientStorageError(StorageError):
    """A storage failure that is expected to pass (connection refused, timeout)."""

    transient = True


class ConfigError(SohoaError):
    """The configuration (file, environment or command line) is wrong; nothing was processed."""

    exit_code = 2


class RequestError(SohoaError):
    """What was asked for is inconsistent (a period that ends before it starts); nothing was done."""

    exit_code = 2


class ConflictError(SohoaError):
    """The request contradicts an earlier one (an idempotency key reused with a different request)."""

    exit_code = 1
