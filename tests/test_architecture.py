"""The house rules that can be checked by reading the code: imports run one way, modules stay small, the
error tree carries every edge's meaning, the README stays a guide."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from digitize import errors

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("digitize", "signing", "storage", "workers", "web", "cli", "samplegen")
#: What each package may import (itself included): core ← services ← queue ← web / CLI.
ALLOWED = {
    "digitize": {"digitize"},
    "samplegen": {"samplegen"},
    "signing": {"digitize", "signing"},
    "storage": {"digitize", "storage"},
    "workers": {"digitize", "signing", "storage", "workers"},
    "web": {"digitize", "signing", "storage", "workers", "web"},
    "cli": {"digitize", "signing", "storage", "workers", "web", "cli"},
}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported_packages(path: Path) -> set[str]:
    """Top-level project packages a module imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names if name.split(".")[0] in PROJECT}
    return found


@pytest.mark.parametrize("package", PROJECT)
def test_imports_run_one_way(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) - ALLOWED[package])
        for path in _modules(package)
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_no_two_packages_import_each_other() -> None:
    uses = {p: set().union(*(_imported_packages(m) for m in _modules(p))) - {p} for p in PROJECT}
    cycles = sorted((a, b) for a in PROJECT for b in uses[a] if a in uses[b])
    assert cycles == []


def test_no_module_over_600_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for package in (*PROJECT, "tests", "bench")
        for path in (ROOT / package).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}


def test_readme_is_a_guide_of_at_most_300_lines() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 300


#: class → (exit code, HTTP status, transient): the one table every edge reads.
EXPECTED = {
    "SohoaError": (1, 500, False),
    "InputError": (1, 422, False),
    "UnsupportedMediaError": (1, 415, False),
    "PayloadTooLargeError": (1, 413, False),
    "ProcessingError": (1, 500, False),
    "SigningError": (1, 500, False),
    "StorageError": (1, 500, False),
    "MissingObjectError": (1, 500, False),
    "TransientStorageError": (1, 503, True),
    "ConfigError": (2, 500, False),
    "RequestError": (2, 422, False),
    "NotFoundError": (2, 404, False),
    "ConflictError": (1, 409, False),
    "AuthenticationError": (2, 401, False),
    "SignInRequired": (2, 303, False),
    "PermissionDeniedError": (2, 403, False),
    "RateLimitedError": (1, 429, True),
}


def test_every_error_class_says_its_exit_code_status_and_transience() -> None:
    table = {cls.__name__: (cls.exit_code, cls.http_status, cls.transient) for cls in errors.error_classes()}
    assert table == EXPECTED
    for cls in errors.error_classes():
        assert cls.__doc__ and cls.code, cls.__name__
        assert cls.exit_code in (errors.EXIT_SOME_FAILED, errors.EXIT_USAGE)


def test_edges_read_the_tree_and_raise_nothing_outside_it() -> None:
    """No edge defines an exception class of its own: refusals are members of the one tree."""
    outside = [
        f"{path.relative_to(ROOT)}:{node.name}"
        for package in ("cli", "web", "workers", "signing", "storage")
        for path in _modules(package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id in ("Exception", "BaseException") for b in node.bases)
    ]
    assert outside == []


def test_unexpected_failures_are_wrapped_once_naming_the_file() -> None:
    error = errors.as_sohoa_error(ValueError("invalid literal for int() with base 10: '25/0'"), "a.png")
    assert isinstance(error, errors.ProcessingError) and error.source == "a.png"
    assert "unexpected failure" in str(error) and "ValueError" in str(error)
    mine = errors.InputError("bad")
    assert errors.as_sohoa_error(mine, "b.png") is mine and mine.source == "b.png"
