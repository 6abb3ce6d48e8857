"""The public pages in a real browser: sign-in, language switch, indicator chart and table,
XLSX download, choropleth map. Each test leaves a full-page screenshot behind."""

from __future__ import annotations

import openpyxl
import pytest

# Reads the 2-D canvas ECharts draws on: how many pixels carry ink (not white/transparent)
# and how many are clearly red (the map's fill ramp and the first series colour).
CANVAS_PIXELS = """(selector) => {
  const canvas = document.querySelector(selector + " canvas");
  if (!canvas) return null;
  const d = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0, red = 0;
  for (let i = 0; i < d.length; i += 4) {
    const r = d[i], g = d[i + 1], b = d[i + 2], a = d[i + 3];
    if (a === 0) continue;
    if (r < 240 || g < 240 || b < 240) ink++;
    if (r > g + 20 && r > b + 20) red++;
  }
  return {width: canvas.width, height: canvas.height, pixels: canvas.width * canvas.height,
          ink: ink, red: red};
}"""

MAP_ITEMS = """() => {
  const option = echarts.getInstanceByDom(document.getElementById("map")).getOption();
  return {
    n_series: option.series.length,
    visual_map: option.visualMap.length,
    items: option.series[0].data.map((d) => ({
      code: d.name, label: d.label_, value: Number.isNaN(d.value) ? null : d.value})),
  };
}"""


def _wait_drawn(page, selector: str) -> None:
    page.wait_for_selector(f'{selector}[data-ready="1"]')


def test_sign_in_lands_on_chinese_overview(page, make_user, sign_in, shot):
    username, password = make_user("viewer1", "viewer")
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    shot("login")

    sign_in(username, password)
    assert page.evaluate("location.pathname") == "/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "长株潭一体化总览"
    assert "viewer1" in page.locator(".who .user").inner_text()
    counts = page.locator("#status-counts").inner_text()
    for label in ("已达成", "需加快", "数据不足"):
        assert label in counts
    board = page.locator("table.scoreboard").first.inner_text()
    assert "需加快" in board and "数据不足" in board
    assert "22128.30 (2024)" in board  # the latest figure with its year, not "(2024.0)"
    assert page.locator("table.scoreboard tbody tr").count() > 5
    assert page.locator(".headlines .figure").count() >= 2
    assert page.js_errors == []
    shot("overview-zh")


def test_language_switch(page, shot):
    page.goto("/")
    assert page.locator("#lang-switch").inner_text() == "English"
    with page.expect_navigation():
        page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Chang-Zhu-Tan integration: overview"
    counts = page.locator("#status-counts").inner_text()
    assert "Insufficient data" in counts and "Needs acceleration" in counts
    assert "数据不足" not in counts
    assert page.locator("nav").inner_text().split()[:2] == ["Overview", "Indicators"]
    shot("overview-en")

    # the choice sticks while browsing
    page.goto("/indicators/gdp/")
    assert page.locator("#download-xlsx").inner_text() == "Download XLSX"

    with page.expect_navigation():
        page.click("#lang-switch")
    assert page.evaluate("location.pathname") == "/indicators/gdp/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.goto("/")
    assert page.locator("h1").inner_text() == "长株潭一体化总览"
    assert page.locator("#lang-switch").inner_text() == "English"


def test_indicator_chart_and_sources(page, shot):
    page.goto("/indicators/gdp/")
    _wait_drawn(page, "#chart")
    assert "地区生产总值" in page.locator("h1").inner_text()

    pixels = page.evaluate(CANVAS_PIXELS, "#chart")
    assert pixels is not None, "no canvas in #chart"
    assert pixels["width"] > 600 and pixels["height"] > 300
    assert pixels["ink"] > pixels["pixels"] * 0.005, pixels  # axes, labels and lines drawn
    assert pixels["red"] > 100, pixels  # the first series (Chang-Zhu-Tan) in brand red

    option = page.evaluate("""() => {
      const o = echarts.getInstanceByDom(document.getElementById("chart")).getOption();
      return o.series.map((s) => ({name: s.name, n: s.data.length}));
    }""")
    names = [s["name"] for s in option]
    assert {"长沙市", "株洲市", "湘潭市"} <= set(names), names
    assert all(s["n"] > 0 for s in option if s["name"] in ("长沙市", "株洲市", "湘潭市"))

    table = page.locator("#data-table")
    assert table.locator("thead").inner_text().split() == ["地区", "年份", "数值", "标记",
                                                           "来源", "发布日期"]
    rows = table.locator("tbody tr")
    assert rows.count() > 10
    assert "长沙市" in table.inner_text()
    links = table.locator("tbody a[href^='http']")
    assert links.count() > 10
    assert links.first.get_attribute("rel") == "noreferrer"
    assert page.js_errors == []
    shot("indicator-gdp")


def test_xlsx_download(page, tmp_path):
    from czt.web.pages.tables import COLUMNS

    page.goto("/indicators/gdp/")
    with page.expect_download() as info:
        page.click("#download-xlsx")
    download = info.value
    assert download.suggested_filename == "czt-gdp.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    sheet = openpyxl.load_workbook(path, read_only=True)["data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [zh for _, zh, _ in COLUMNS]
    code, name, year, value, title, url = (rows[0].index(h) for h in (
        "地区代码", "地区", "年份", "数值", "来源", "来源链接"))
    body = rows[1:]
    by_region = {}
    for r in body:
        by_region.setdefault(str(r[code]), []).append(r)
    assert {"430100", "430200", "430300"} <= set(by_region)
    changsha = by_region["430100"]
    assert {r[name] for r in changsha} == {"长沙市"}
    assert all(isinstance(r[value], int | float) and r[value] > 1000 for r in changsha)
    assert all(r[title] for r in changsha)  # every figure names its source
    assert sum(str(r[url]).startswith("http") for r in changsha) >= len(changsha) - 1
    assert len({r[year] for r in changsha}) == len(changsha) >= 3


def _expected_map(level: str, year: int | None = None) -> dict[str, float | None]:
    from czt.web.pages.views.maps import map_data

    return {i["code"]: i["value"] for i in map_data("gdp", level, year, "zh")["items"]}


def _check_map(page, level: str, n_units: int, year: int | None = None) -> dict:
    _wait_drawn(page, "#map")
    assert page.locator("#map").get_attribute("data-level") == level
    drawn = page.evaluate(MAP_ITEMS)
    assert drawn["n_series"] == 1 and drawn["visual_map"] == 1
    items = {d["code"]: d for d in drawn["items"]}
    assert len(items) == n_units
    assert all(d["label"] for d in items.values())
    assert {c: d["value"] for c, d in items.items()} == pytest.approx(_expected_map(level, year))
    assert page.js_errors == []
    return items


def test_map_districts(page, shot):
    page.goto("/map/")
    # opens on the year most districts report (2023), not the near-empty latest one
    items = _check_map(page, "county", 23)
    assert int(page.locator("#year-select").input_value()) == 2023
    shot("map-county-default")

    with page.expect_navigation():
        page.select_option("#year-select", "2024")
    items = _check_map(page, "county", 23, 2024)
    assert any(d["value"] is None for d in items.values())  # the no-data fill is in use
    shot("map-county-2024")

    with page.expect_navigation():
        page.select_option("#year-select", "2023")
    items = _check_map(page, "county", 23, 2023)
    assert sum(d["value"] is not None for d in items.values()) >= 10
    assert items["430104"]["label"] == "岳麓区" and items["430104"]["value"] > 1000
    pixels = page.evaluate(CANVAS_PIXELS, "#map")
    assert pixels["red"] > pixels["pixels"] * 0.03, pixels  # the districts are filled
    shot("map-county-2023")


def test_map_cities(page, shot):
    page.goto("/map/?level=city")
    items = _check_map(page, "city", 3)
    assert {d["label"] for d in items.values()} == {"长沙市", "株洲市", "湘潭市"}
    assert all(d["value"] > 1000 for d in items.values())
    pixels = page.evaluate(CANVAS_PIXELS, "#map")
    assert pixels["red"] > pixels["pixels"] * 0.05, pixels
    shot("map-city")
