"""Shared fixtures: one test database per run with the reference data and the shipped
official statistics loaded once (each test then runs inside a rolled-back transaction)."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from czt.commands.data import default_data_files
    from czt.ingest.load import ingest_files
    from czt.store.sync import sync_reference
    from czt.web.ledger.seed import seed_ledger

    with django_db_blocker.unblock():
        sync_reference()
        seed_ledger()
        ingest_files(default_data_files(), user="fixture")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rolled-back tests can reuse row ids, so a cache keyed on them must start empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def write_csv(tmp_path):
    """Write rows (list of lists, first row = header) to a CSV file in a given encoding."""

    def _write(name: str, rows: list[list[object]], encoding: str = "utf-8") -> str:
        path = tmp_path / name
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_bytes(buffer.getvalue().encode(encoding))
        return str(path)

    return _write
