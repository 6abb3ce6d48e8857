"""The flows page (/flows/) and /api/flows/metrics: synthetic demo, real folders, bad files."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from czt.flows.synth import SynthParams, synthesize
from czt.web.pages.views import flows as service

pytestmark = pytest.mark.django_db

SMALL = dict(rows=150_000, chunk_rows=150_000, start="2023-01-01", end="2024-12-31")


def _params(**kw) -> SynthParams:
    import datetime as dt

    base = {**SMALL, **kw}
    base["start"] = dt.date.fromisoformat(base["start"])
    base["end"] = dt.date.fromisoformat(base["end"])
    return SynthParams(**base)


@pytest.fixture
def home(settings, tmp_path):
    settings.CZT_HOME = tmp_path / "home"
    settings.CZT_FLOWS_DIR = ""
    service._memo.clear()
    return settings


@pytest.fixture(scope="module")
def border_folders(tmp_path_factory) -> dict[str, Path]:
    """Generated folders: border factor 3 (flows stay inside cities) and 0.5 (they cross)."""
    out = {}
    for name, border in (("strong", 3.0), ("negative", 0.5)):
        folder = tmp_path_factory.mktemp(f"flows-{name}")
        synthesize(folder, _params(seed=11, border_start=border, border_end=None))
        out[name] = folder
    return out


def test_demo_page_is_labelled_synthetic_and_cached(client, home):
    resp = client.get("/flows/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'id="synthetic-notice"' in html
    assert "CZT_FLOWS_DIR" in html  # says how to point the platform at real files
    for chart in ("flow-map", "border-chart", "share-chart"):
        assert f'id="{chart}"' in html
    demo = Path(home.CZT_HOME) / "flows" / "demo"
    assert sorted(p.name for p in demo.glob("*.parquet"))
    assert list((Path(home.CZT_HOME) / "flows" / ".web-cache").glob("*.json"))
    # a fresh process (empty memo) reads the JSON cache instead of recomputing
    service._memo.clear()
    _, payload, cached = service.metrics_for("quarter")
    assert cached
    assert payload["source"]["synthetic_files"]
    data = json.loads(html.split('id="flows-data" type="application/json">')[1].split("<")[0])
    assert len(data["nodes"]) == 23 and data["links"]


def test_api_shares_sum_to_one_and_border_sign(client, home, border_folders):
    home.CZT_FLOWS_DIR = str(border_folders["strong"])
    resp = client.get("/api/flows/metrics", {"time": "quarter"})
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["synthetic"] is True  # the files carry the generator's mark
    assert body["notice"] and body["source"]["demo"] is False
    assert len(body["periods"]) == 8
    for p in body["periods"]:
        assert p["within_city_share"] + p["cross_city_share"] == pytest.approx(1.0)
        assert p["within_city"] + p["cross_city"] == p["total"]
    by_period: dict[str, float] = defaultdict(float)
    for pair in body["pairs"]:
        by_period[pair["label"]] += pair["share_of_total"]
    assert len(by_period) == 8
    assert all(v == pytest.approx(1.0) for v in by_period.values())
    border = body["border"]
    assert border["pooled"]["beta"] < 0 and border["pooled"]["ratio_low"] > 1
    assert [p["label"] for p in border["periods"]][:2] == ["2023Q1", "2023Q2"]
    for p in border["periods"]:
        assert p["ratio_low"] <= p["ratio"] <= p["ratio_high"]
    assert body["intensity"] and body["links"]
    assert any(link["cross_city"] for link in body["links"])

    home.CZT_FLOWS_DIR = str(border_folders["negative"])
    body = client.get("/api/flows/metrics", {"time": "year", "lang": "en"}).json()
    assert body["border"]["pooled"]["beta"] > 0 and body["border"]["pooled"]["ratio_high"] < 1
    assert {p["origin_city_name"] for p in body["pairs"]} == {"Changsha", "Zhuzhou", "Xiangtan"}


def test_real_folder_page_and_kind_filter(client, home, border_folders):
    home.CZT_FLOWS_DIR = str(border_folders["strong"])
    resp = client.get("/flows/", {"time": "year", "kind": "commute"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'id="synthetic-notice"' in html  # still synthetic: the files say so
    assert 'id="share-table"' in html and "2024" in html
    body = client.get("/api/flows/metrics", {"time": "year", "kind": "commute"}).json()
    assert body["spec"]["kinds"] == ["commute"]


def test_unmarked_files_are_not_called_synthetic(client, home, border_folders, tmp_path):
    """Files without the generator's mark are shown as real data, with their folder."""
    folder = tmp_path / "od"
    folder.mkdir()
    for f in sorted(border_folders["strong"].glob("*.parquet")):
        table = pq.read_table(f)
        pq.write_table(table.replace_schema_metadata(None), folder / f"carrier-{f.name}")
    home.CZT_FLOWS_DIR = str(folder)
    html = client.get("/flows/").content.decode()
    assert 'id="synthetic-notice"' not in html and 'id="source-card"' in html
    body = client.get("/api/flows/metrics").json()
    assert body["synthetic"] is False and body["notice"] is None
    assert body["source"]["synthetic_files"] == []


def _bad_file(folder: Path) -> Path:
    table = pa.table({
        "origin": pa.array([430102, 110101], pa.int32()),
        "destination": pa.array([430211, 430211], pa.int32()),
        "date": pa.array([pa.scalar(19000, pa.date32()).as_py()] * 2, pa.date32()),
        "period": ["07", "08"],
        "kind": ["commute", "trip"],
        "count": pa.array([3, 4], pa.int64()),
    })
    path = folder / "bad.parquet"
    pq.write_table(table, path)
    return path


def test_bad_file_is_reported_not_a_500(client, home, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    synthesize(folder, _params(rows=20_000, chunk_rows=20_000))
    _bad_file(folder)
    home.CZT_FLOWS_DIR = str(folder)
    resp = client.get("/flows/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'id="flows-error"' in html and 'id="synthetic-notice"' not in html
    assert "bad.parquet" in html and "110101" in html
    assert "地区代码不是长株潭 23 个区县之一" in html  # the reason, in the reader's language
    assert "synthetic-2026-00000.parquet" not in html  # only failed files are listed

    resp = client.get("/api/flows/metrics", {"lang": "en"})
    assert resp.status_code == 422
    body = resp.json()
    assert body["reason"] == "invalid" and body["folder"] == "incoming"  # no server path
    assert [f["file"] for f in body["files"]] == ["bad.parquet"]
    problem = body["files"][0]["problems"][0]
    assert problem["column"] == "origin" and problem["examples"] == [{"row": 2,
                                                                      "value": "110101"}]
    assert "outside the 23 CZT" in problem["message"]


def test_missing_or_empty_folder(client, home, tmp_path):
    home.CZT_FLOWS_DIR = str(tmp_path / "nowhere")
    resp = client.get("/flows/")
    assert resp.status_code == 200 and 'id="flows-error"' in resp.content.decode()
    (tmp_path / "empty").mkdir()
    home.CZT_FLOWS_DIR = str(tmp_path / "empty")
    assert client.get("/api/flows/metrics").json()["reason"] == "no_files"


def test_openapi_lists_flows_metrics(client):
    schema = client.get("/api/openapi.json").json()
    op = schema["paths"]["/api/flows/metrics"]["get"]
    assert "flows" in op["tags"]
    assert {"200", "422"} <= set(op["responses"])


def test_centroids_inside_their_county():
    cents = service.county_centroids()
    geo = json.loads(service.boundaries_text())
    assert len(cents) == 23
    for feat in geo["features"]:
        code = feat["properties"]["code"]
        if code not in cents:
            continue
        xs = [pt[0] for poly in feat["geometry"]["coordinates"] for pt in poly[0]]
        ys = [pt[1] for poly in feat["geometry"]["coordinates"] for pt in poly[0]]
        c = cents[code]
        assert min(xs) <= c["lon"] <= max(xs) and min(ys) <= c["lat"] <= max(ys)
        assert c["city"] == code[:4] + "00"
