"""Ingest: whole batches in, or nothing in; canonical files out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from czt.flows import schema
from czt.flows.dataset import FlowDataset, default_root
from czt.flows.validate import FlowValidationError


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the dataset root with its bytes (the lock file aside)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_default_root_follows_czt_home(monkeypatch, tmp_path):
    monkeypatch.setenv("CZT_HOME", str(tmp_path))
    assert default_root() == tmp_path / "flows"
    monkeypatch.delenv("CZT_HOME")
    assert default_root() == Path("var") / "flows"


def test_ingest_copies_canonical_files_and_lists_them(tmp_path, write_parquet, records):
    src = write_parquet("a.parquet", records())
    ds = FlowDataset(tmp_path / "ds")
    result = ds.ingest([src])
    assert result.rows == 3
    (entry,) = ds.entries()
    assert entry["rows"] == 3 and entry["rewritten"] is False
    assert (entry["first_date"], entry["last_date"]) == ("2024-03-04", "2024-03-09")
    assert ds.files()[0].read_bytes() == src.read_bytes()
    assert result.message() == f"已导入 1 个文件，共 3 行，数据集 {tmp_path / 'ds'}"


def test_loose_types_are_rewritten_to_the_canonical_schema(tmp_path, write_parquet, records):
    data = records(
        origin=["430102", "430211", "430302"],
        date=["2024-03-04", "2024-03-05", "2024-03-09"],
        period=[7, 8, 23],
        count=[5.0, 3.0, 2.0],
    )
    data["extra"] = ["a", "b", "c"]
    types = {"origin": pa.string(), "date": pa.string(), "period": pa.int8(), "count": pa.float64()}
    ds = FlowDataset(tmp_path / "ds")
    ds.ingest([write_parquet("loose.parquet", data, types)])
    table = pq.read_table(ds.files()[0])
    assert schema.is_canonical(table.schema)
    assert table.to_pydict() == {
        "origin": [430102, 430211, 430302],
        "destination": [430211, 430211, 430102],
        "date": [dt.date(2024, 3, 4), dt.date(2024, 3, 5), dt.date(2024, 3, 9)],
        "period": ["07", "08", "23"],
        "kind": ["commute", "trip", "service_use"],
        "count": [5, 3, 2],
    }
    assert ds.entries()[0]["rewritten"] is True


BAD = {
    "unknown_code": {"origin": [430102, 110101, 430302]},
    "negative_count": {"count": [5, -1, 2]},
    "bad_date": {"date": [dt.date(1999, 1, 1), dt.date(2024, 3, 5), dt.date(2024, 3, 9)]},
    "bad_period": {"period": ["07", "25", "day"]},
    "bad_kind": {"kind": ["commute", "comute", "trip"]},
    "null": {"destination": [430211, None, 430102]},
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_leaves_the_dataset_unchanged(tmp_path, write_parquet, records, case):
    ds = FlowDataset(tmp_path / "ds")
    ds.ingest([write_parquet("good0.parquet", records(count=[9, 9, 9]))])
    before = snapshot(ds.root)
    good = write_parquet("good.parquet", records())
    bad = write_parquet(f"{case}.parquet", records(**BAD[case]))
    with pytest.raises(FlowValidationError) as err:
        ds.ingest([good, bad])
    assert snapshot(ds.root) == before
    assert [r.path.name for r in err.value.failed] == [f"{case}.parquet"]
    assert f"文件 {case}.parquet 未通过校验" in str(err.value)
    assert str(err.value).endswith("1 个文件未通过校验，数据集未作任何改动。")
    assert ds.rows() == 3


def test_missing_file_in_batch_rejects_the_batch(tmp_path, write_parquet, records):
    ds = FlowDataset(tmp_path / "ds")
    with pytest.raises(FlowValidationError) as err:
        ds.ingest([write_parquet("a.parquet", records()), tmp_path / "missing.parquet"])
    assert "missing.parquet" in err.value.message("en")
    assert "file does not exist" in err.value.message("en")
    assert ds.entries() == [] and not (ds.root / "parts").exists()


def test_the_same_file_is_not_ingested_twice(tmp_path, write_parquet, records):
    ds = FlowDataset(tmp_path / "ds")
    src = write_parquet("a.parquet", records())
    ds.ingest([src])
    with pytest.raises(FlowValidationError) as err:
        ds.ingest([src])
    assert [p.check for p in err.value.reports[0].problems] == ["duplicate_file"]
    copy = tmp_path / "copy.parquet"
    copy.write_bytes(src.read_bytes())
    with pytest.raises(FlowValidationError) as err:
        ds.ingest([copy])
    assert "与已导入的文件" in str(err.value) and "a.parquet" in str(err.value)
    other = write_parquet("b.parquet", records(count=[1, 1, 1]))
    with pytest.raises(FlowValidationError) as err:
        ds.ingest([other, other])
    assert [p.check for p in err.value.reports[1].problems] == ["duplicate_in_batch"]
    assert ds.rows() == 3


def test_synthetic_files_ingest_as_they_are(tmp_path, synthetic_dir):
    files = sorted(synthetic_dir.glob("*.parquet"))
    ds = FlowDataset(tmp_path / "ds")
    result = ds.ingest(files)
    assert result.rows == 200_000
    assert [e["rewritten"] for e in ds.entries()] == [False, False]
