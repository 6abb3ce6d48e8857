"""The /api/ endpoints: filters, pagination, CSV, OpenAPI, tokens."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from czt.store.queries import observations
from czt.web.accounts.models import ApiToken
from czt.web.accounts.users import create_user

pytestmark = pytest.mark.django_db


def test_observations_filters_match_the_store(client):
    body = client.get("/api/observations?indicator=gdp&region=430100&region=430200"
                      "&year_from=2020&year_to=2023&page_size=10000").json()
    expected = observations(indicators=["gdp"], regions=["430100", "430200"],
                            years=(2020, 2023))
    assert body["count"] == len(expected) > 0
    assert {(r["region"], r["year"]) for r in body["results"]} == set(
        zip(expected["region"], expected["year"], strict=True))
    changsha_2023 = [r["value"] for r in body["results"]
                     if r["region"] == "430100" and r["year"] == 2023]
    assert changsha_2023 and all(v > 10000 for v in changsha_2023)  # 亿元, 长沙 ≈ 1.4万亿


def test_pagination_links_and_totals(client):
    first = client.get("/api/observations?indicator=gdp&page_size=5").json()
    assert first["page"] == 1 and len(first["results"]) == 5
    assert first["previous"] is None and "page=2" in first["next"]
    second = client.get(first["next"].replace("http://testserver", "")).json()
    assert second["page"] == 2 and second["results"] != first["results"]
    last_page = (first["count"] + 4) // 5
    last = client.get(f"/api/observations?indicator=gdp&page_size=5&page={last_page}").json()
    assert last["next"] is None and 1 <= len(last["results"]) <= 5


def test_csv_format(client):
    resp = client.get("/api/observations?indicator=gdp&page_size=10000&format=csv")
    assert resp["Content-Type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(resp.content.decode("utf-8-sig")), dtype={"region": str})
    assert int(resp["X-Total-Count"]) == len(frame)
    assert {"region", "indicator", "year", "value", "source_url"} <= set(frame.columns)


def test_as_of_hides_later_publications(client):
    early = client.get("/api/observations?indicator=gdp&as_of=2000-01-01").json()
    assert early["count"] == 0


def test_progress_and_targets(client):
    board = client.get("/api/progress?plan=CZT-5Y-2021&region=CZT&page_size=100").json()
    gdp = next(r for r in board["results"] if r["indicator"] == "gdp")
    assert gdp["status"] == "accelerate" and gdp["ratio"] == pytest.approx(0.81, abs=0.005)
    english = client.get("/api/progress?plan=CZT-5Y-2021&region=CZT&lang=en").json()
    assert any(r["status_label"] == "Needs acceleration" for r in english["results"])
    targets = client.get("/api/targets?plan=CZT-5Y-2021&page_size=100").json()
    assert targets["count"] == 24


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/openapi.json").json()
    for p in ("/api/regions", "/api/indicators", "/api/observations", "/api/targets",
              "/api/progress", "/api/coverage", "/api/imports"):
        assert p in schema["paths"], p
    docs = client.get("/api/docs").content.decode()
    assert "swagger" in docs.lower() and "cdn." not in docs  # served from our own static


def test_token_authentication(client):
    user = create_user("bot", "pw-unused-123", "viewer")
    _, key = ApiToken.issue(user, "nightly job")
    ok = client.get("/api/coverage", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok.status_code == 200
    assert ApiToken.objects.get(user=user).last_used is not None
    assert client.get("/api/coverage", HTTP_AUTHORIZATION="Bearer czt_wrong").status_code == 401
    user.is_active = False
    user.save()
    assert client.get("/api/coverage",
                      HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_import_errors_name_file_row_and_column(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    create_user("boss", "pw-unused-123", "province_admin")
    client.login(username="boss", password="pw-unused-123")
    text = ("region_code,region_name,indicator,year,value,unit,source_url,source_title,snippet\n"
            "430100,长沙市,gdp,2030,abc,亿元,https://x.gov.cn,公报,摘录\n")
    resp = client.post("/api/imports?lang=en",
                       {"files": SimpleUploadedFile("bad.csv", text.encode())})
    assert resp.status_code == 400
    problem = resp.json()["problems"][0]
    assert (problem["file"], problem["row"], problem["column"]) == ("bad.csv", 2, "value")
    assert "not a number" in problem["reason"]


def test_cached_responses_follow_imports(client, upload_file):
    url = "/api/observations?indicator=gdp&region=430100&page_size=10000"
    before = client.get(url).json()["count"]
    assert client.get(url).json()["count"] == before  # served from the cache
    create_user("boss2", "pw-unused-123", "province_admin")
    client.login(username="boss2", password="pw-unused-123")
    assert client.post("/api/imports", {"files": upload_file("430100")}).status_code == 200
    after = client.get(url).json()
    assert after["count"] == before + 1
    assert any(r["year"] == 2030 for r in after["results"])
