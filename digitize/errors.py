"""The one exception tree of số hóa, and the one table of what each error means at each edge.

Every class carries, as class attributes, what every edge needs to know about it:

- `exit_code`: the status the CLI exits with when this error stops a command;
- `http_status` and `code`: the HTTP status and machine-readable error code the API answers with;
- `transient`: whether trying the same thing again later may succeed (the worker retries with backoff).

The CLI (`cli.main.exit_code_for`), the HTTP app (`web.app.error_response`) and the workers
(`workers.batches.should_retry`) each read them in exactly one function. Every error names what went wrong
(`message`), the file or field it is about (`source`) and what the user should do (`fix`).
"""

from __future__ import annotations

#: Exit codes of the `digitize` command.
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class SohoaError(Exception):
    """Root of every error raised on purpose by this project."""

    exit_code: int = EXIT_SOME_FAILED
    http_status: int = 500
    code: str = "internal"
    #: True when trying the same thing again later may succeed (network, locks, a busy server).
    transient: bool = False

    def __init__(self, message: str, *, fix: str = "", source: str = "", code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.source = source
        if code:  # a more precise code than the class's own (e.g. "empty_file" for an InputError)
            self.code = code

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

    http_status, code = 422, "invalid_document"


class UnsupportedMediaError(InputError):
    """The content is not a kind of file this project reads (judged by the bytes, not the name)."""

    http_status, code = 415, "unsupported_media_type"


class PayloadTooLargeError(InputError):
    """The request or file is larger than the configured limit."""

    http_status, code = 413, "payload_too_large"


class ProcessingError(SohoaError):
    """A stage could not produce its output for a valid input (OCR timeout, no text found, ...)."""

    code = "processing_failed"


class SigningError(SohoaError):
    """The document could not be signed, or the signing key/certificate is unusable."""

    code = "signing_failed"


class StorageError(SohoaError):
    """The object store or the repository refused or failed an operation."""

    code = "storage_failed"


class MissingObjectError(StorageError):
    """An object the repository names is not in the object store."""

    code = "object_missing"


class TransientStorageError(StorageError):
    """A storage failure that is expected to pass (connection refused, timeout)."""

    http_status, code, transient = 503, "unavailable", True


class ConfigError(SohoaError):
    """The configuration (file, environment or command line) is wrong; nothing was processed."""

    exit_code, code = EXIT_USAGE, "misconfigured"


class RequestError(SohoaError):
    """What was asked for is inconsistent (a period that ends before it starts); nothing was done."""

    exit_code, http_status, code = EXIT_USAGE, 422, "invalid_request"


class NotFoundError(RequestError):
    """What was asked for does not exist, or is not the caller's to see."""

    http_status, code = 404, "not_found"


class ConflictError(SohoaError):
    """The request contradicts an earlier one (an idempotency key reused with a different request)."""

    http_status, code = 409, "conflict"


class AuthenticationError(SohoaError):
    """No valid credentials: a missing, unknown or revoked API key, a wrong password."""

    exit_code, http_status, code = EXIT_USAGE, 401, "unauthorized"


class SignInRequired(AuthenticationError):
    """A review-station page or call without a live session: answered by a redirect to the sign-in page."""

    http_status, code = 303, "sign_in_required"

    def __init__(self, next_url: str) -> None:
        super().__init__("sign in first", fix="open /login")
        self.next_url = next_url


class PermissionDeniedError(SohoaError):
    """The caller is known but may not do this (a key without the scope, a reviewer's limit)."""

    exit_code, http_status, code = EXIT_USAGE, 403, "forbidden"


class RateLimitedError(SohoaError):
    """Too many requests or attempts; `retry_after` says how many seconds to wait."""

    http_status, code, transient = 429, "rate_limited", True

    def __init__(self, message: str, *, fix: str = "retry later", retry_after: int = 1) -> None:
        super().__init__(message, fix=fix)
        self.retry_after = retry_after


def as_sohoa_error(exc: BaseException, source: str = "") -> SohoaError:
    """Any exception as a member of the tree: ours as they are, a bug or a library failure as a
    ProcessingError that names the file, so one bad document never stops a batch."""
    if isinstance(exc, SohoaError):
        return exc.for_file(source) if source else exc
    return ProcessingError(
        f"unexpected failure ({exc!r})",
        fix="report this file to the maintainers; the other documents go on",
        source=source,
    )


def error_classes() -> list[type[SohoaError]]:
    """Every class of the tree, root first (for the edges' tables and the test that walks the tree)."""
    found: list[type[SohoaError]] = []
    pending: list[type[SohoaError]] = [SohoaError]
    while pending:
        cls = pending.pop(0)
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found
