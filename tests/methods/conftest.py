"""Helpers for the analytics-method tests: write a small CSV and read it back; the
hypothesis profile of the property tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write ``text`` (dedented lines) to ``tmp_path/name`` and return the path."""

    def write(text: str, name: str = "input.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        lines = [line.strip() for line in text.strip().splitlines()]
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return write


# Property tests (test_properties.py): the same examples on every run, so that CI is
# reproducible and a failure can be replayed, and no example database written into the
# repository. HYPOTHESIS_PROFILE=czt-random explores new examples locally.
settings.register_profile("czt", derandomize=True, database=None, deadline=None)
settings.register_profile("czt-random", derandomize=False, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "czt"))
