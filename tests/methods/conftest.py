"""Helpers for the analytics-method tests: write a small CSV and read it back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write ``text`` (dedented lines) to ``tmp_path/name`` and return the path."""

    def write(text: str, name: str = "input.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        lines = [line.strip() for line in text.strip().splitlines()]
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return write
