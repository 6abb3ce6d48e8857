"""Shared fixtures for the flows tests: small generated files and one Spark session."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from czt.flows.synth import SynthParams, synthesize

JAVA = shutil.which("java")

#: Generated once per run: two files, small enough for Spark local[2] in a second or two.
SMALL = SynthParams(rows=200_000, rows_per_file=120_000, chunk_rows=50_000, seed=7, home=2.0)


@pytest.fixture(scope="session")
def synthetic_params() -> SynthParams:
    return SMALL


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    synthesize(out, SMALL)
    return out


@pytest.fixture(scope="session")
def spark():
    """One SparkSession for the whole run (local[2], 4 shuffle partitions, no UI)."""
    if JAVA is None:
        pytest.skip("java not found on PATH: Spark tests need a JVM (Java 17)")
    from czt.flows.engines.spark_engine import build_session

    session = build_session(
        "local[2]",
        shuffle_partitions=4,
        driver_memory="1g",
        conf={"spark.ui.enabled": "false", "spark.sql.adaptive.enabled": "false"},
    )
    yield session
    session.stop()


def _records(**columns: object) -> dict[str, list]:
    """Three valid records; keyword arguments replace whole columns."""
    base: dict[str, list] = {
        "origin": [430102, 430211, 430302],
        "destination": [430211, 430211, 430102],
        "date": [dt.date(2024, 3, 4), dt.date(2024, 3, 5), dt.date(2024, 3, 9)],
        "period": ["07", "am_peak", "day"],
        "kind": ["commute", "trip", "service_use"],
        "count": [5, 3, 2],
    }
    base.update(columns)  # type: ignore[arg-type]
    return base


def _write(path: Path, data: dict[str, list], types: dict[str, pa.DataType] | None = None) -> Path:
    """Write ``data`` as Parquet with canonical types unless ``types`` says otherwise."""
    canonical = {
        "origin": pa.int32(),
        "destination": pa.int32(),
        "date": pa.date32(),
        "period": pa.string(),
        "kind": pa.string(),
        "count": pa.int64(),
        "weight": pa.float64(),
    }
    canonical.update(types or {})
    table = pa.table({k: pa.array(v, type=canonical.get(k)) for k, v in data.items()})
    pq.write_table(table, path)
    return path


@pytest.fixture
def records():
    """Factory of small record dicts (see :func:`_records`)."""
    return _records


@pytest.fixture
def write_parquet(tmp_path: Path):
    """Factory writing a record dict to ``tmp_path/<name>`` as Parquet."""

    def make(name: str, data: dict[str, list], types: dict[str, pa.DataType] | None = None):
        return _write(tmp_path / name, data, types)

    return make
