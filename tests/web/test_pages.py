"""Every page renders on the real data, in Chinese by default and in English on request."""

from __future__ import annotations

import io

import openpyxl
import pytest

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/indicators/", "/indicators/gdp/", "/cities/", "/cities/430100/",
                "/map/", "/map/?level=city", "/accounts/login/"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_render_in_chinese(client, url):
    resp = client.get(url)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'lang="zh-hans"' in html
    assert "总览" in html  # the navigation is translated


def test_english_switch(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert resp.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "Overview" in html and "Insufficient data" in html


def test_overview_scoreboard_and_headlines(client):
    html = client.get("/").content.decode()
    # the five-year plan's GDP target on the three-city total: R = 0.81, 需加快
    assert "需加快" in html and "0.81" in html
    # seed 001 figures, quoted with their source
    for figure in ("13.3", "25.7", "41.7", "68.8", "61.3", "70.8"):
        assert figure in html
    # 长株潭 GDP 2024 as published: 22128.3 亿元
    assert "22128.3" in html


def test_indicator_page_has_chart_data_targets_and_sources(client):
    resp = client.get("/indicators/gdp/")
    chart = resp.context["chart"]
    czt = next(s for s in chart["series"] if s["region"] == "CZT")
    by_year = {p["year"]: p for p in czt["points"]}
    assert by_year[2024]["value"] == pytest.approx(22128.3)
    assert by_year[2020]["derived"] is True  # 2020 is summed from the three cities
    assert by_year[2020]["value"] == pytest.approx(17591.47, abs=0.01)
    target = next(t for t in chart["targets"] if t["region"] == "CZT")
    assert target["status"] == "accelerate" and target["on_scale"]
    assert target["projected"] is not None and target["projected"] < target["value"]
    html = resp.content.decode()
    assert 'id="chart"' in html and "https://" in html  # source links in the table


def test_indicator_downloads(client):
    csv = client.get("/indicators/gdp/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("地区代码,地区,年份,数值")
    xlsx = client.get("/indicators/gdp/?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["地区代码", "地区", "年份", "数值"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert any(r[0] == "430100" and r[2] == 2024 for r in rows)


def test_unknown_indicator_is_404(client):
    assert client.get("/indicators/nope/").status_code == 404


def test_city_comparison_shares(client):
    resp = client.get("/cities/")
    rows = {r["code"]: r for r in resp.context["rows"]}
    gdp = rows["gdp"]
    total = sum(gdp["values"])
    assert gdp["shares"][0] == pytest.approx(gdp["values"][0] / total, rel=1e-12)
    assert sum(gdp["shares"]) == pytest.approx(1.0)


def test_map_data_for_districts(client):
    resp = client.get("/map/?indicator=gdp&level=county")
    data = resp.context["data"]
    assert len(data["items"]) == 23
    assert {i["code"] for i in data["items"]} >= {"430102", "430382", "430281"}
    geo = client.get("/map/boundaries.geojson").json()
    assert len([f for f in geo["features"] if f["properties"]["level"] == "county"]) == 23
    assert "天地图" in resp.content.decode() or "Tianditu" in resp.content.decode()


def test_map_marks_regions_without_data(client):
    resp = client.get("/map/?indicator=gdp&level=county&year=1990")
    data = resp.context["data"]
    # an unknown year falls back to the year most districts report: 2023 (12 of 23), not
    # 2024 (2 of 23), in the shipped data
    assert data["year"] == 2023
    filled = [i for i in data["items"] if i["value"] is not None]
    assert len(filled) == 12
    yuelu = next(i for i in data["items"] if i["code"] == "430104")
    assert yuelu["value"] == pytest.approx(1646.05)
    assert any(i["value"] is None for i in data["items"])  # drawn with the no-data fill


def test_coverage_needs_sign_in(client):
    resp = client.get("/coverage/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_sign_in_with_password(client):
    from czt.web.accounts.users import create_user

    create_user("li", "s3cret-pass", "viewer")
    resp = client.post("/accounts/login/", {"username": "li", "password": "s3cret-pass"})
    assert resp.status_code == 302 and resp["Location"] == "/"
    html = client.get("/").content.decode()
    assert "li · 查看者" in html
    bad = client.post("/accounts/login/", {"username": "li", "password": "wrong"})
    assert bad.status_code == 200 and "用户名或密码错误" in bad.content.decode()


def test_the_three_cities_are_the_members_of_czt():
    from czt.monitoring import members_of
    from czt.store.models import Region
    from czt.web.pages.context import CITIES, counties

    assert members_of(Region.objects.get(code="CZT")) == CITIES
    assert len(counties()) == 23


def test_coverage_by_city_and_by_department(client):
    from czt.store.models import Unit
    from czt.web.accounts.users import create_user

    Unit.objects.create(code="zz-stats", name_zh="株洲市统计局", name_en="Zhuzhou Statistics",
                        kind="department", region_id="430200")
    create_user("stat", "pw-unused-123", "department_reporter", region="430200",
                unit="zz-stats", indicators=["urban_population"])
    create_user("watch", "pw-unused-123", "viewer")
    client.login(username="watch", password="pw-unused-123")
    resp = client.get("/coverage/")
    rows = resp.context["rows"]
    expected = [r for r in rows
                if r["indicator"] == "urban_population" and r["city"] == "430200"]
    dept = next(d for d in resp.context["departments"] if d["unit"] == "株洲市统计局")
    assert dept["cells"] == len(expected) > 0
    summary = {s["code"]: s["cells"] for s in resp.context["summary"]}
    assert sum(summary.values()) == len(rows)


def test_coverage_summary_names_the_cities(client):
    from czt.web.accounts.users import create_user

    create_user("watch2", "pw-unused-123", "viewer")
    client.login(username="watch2", password="pw-unused-123")
    codes = {s["code"] for s in client.get("/coverage/").context["summary"]}
    assert codes <= {"430100", "430200", "430300", "CZT", "430000"}
    assert {"430100", "430200", "430300"} <= codes
