"""The 一体化分析 page in a real browser: the charts of the Dagum Gini decomposition, the Gini
matrix, GE(2) next to Theil T and the panel β-convergence are drawn (the container is marked
ready, its canvas carries ink) in Chinese and in English, and draw the numbers the page embeds.
Each chart leaves an element screenshot behind, ``analysis-<chart>-<lang>.png``, and each
language a full-page one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHARTS = ["panel-beta-chart", "panel-growth-chart", "dagum-chart", "gini-matrix-chart",
          "ge2-chart", "composite-chart", "sobol-chart"]

# ink = pixels that are not white/transparent; colour = clearly coloured (not grey) pixels
CANVAS_PIXELS = """(selector) => {
  const canvas = document.querySelector(selector + " canvas");
  if (!canvas) return null;
  const d = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0, colour = 0;
  for (let i = 0; i < d.length; i += 4) {
    const r = d[i], g = d[i + 1], b = d[i + 2], a = d[i + 3];
    if (a === 0) continue;
    if (r < 240 || g < 240 || b < 240) ink++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colour++;
  }
  return {width: canvas.width, height: canvas.height, pixels: canvas.width * canvas.height,
          ink: ink, colour: colour};
}"""

OPTION = """(id) => {
  const o = echarts.getInstanceByDom(document.getElementById(id)).getOption();
  return {
    series: o.series.map((s) => ({name: s.name, type: s.type,
      data: s.data.map((d) => (d !== null && typeof d === "object" && "value" in d)
                                ? d.value : d)})),
    legend: o.legend && o.legend.length ? o.legend[0].data : [],
    titles: (o.title || []).map((t) => t.text),
    y_labels: o.yAxis.map((a) => a.data || null),
  };
}"""


def _embedded(page) -> dict:
    return json.loads(page.locator("#analysis-data").text_content())


def _check_drawn(page, chart: str, lang: str) -> None:
    page.wait_for_selector(f'#{chart}[data-ready="1"]')
    pixels = page.evaluate(CANVAS_PIXELS, f"#{chart}")
    assert pixels is not None, f"no canvas in #{chart}"
    assert pixels["width"] > 400 and pixels["height"] > 250, pixels
    assert pixels["ink"] > pixels["pixels"] * 0.01, (chart, pixels)  # axes, bars, labels
    assert pixels["colour"] > 500, (chart, pixels)  # the coloured marks, not only text
    locator = page.locator(f"#{chart}")
    locator.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # the chart with the caption below it
    figure = page.locator(f"figure:has(#{chart})")
    (figure if figure.count() else locator).screenshot(
        path=str(SCREENSHOTS / f"analysis-{chart}-{lang}.png"))


def _check_values(page, data: dict) -> None:
    """The drawn series hold the embedded numbers (the view's, which the unit tests tie to
    the tables)."""
    dagum = page.evaluate(OPTION, "dagum-chart")
    first = data["dagum"]["variables"][0]
    bars = [s for s in dagum["series"] if s["type"] == "bar"]
    assert [s["name"] for s in bars[:3]] == [data["dagum"]["words"][k] for k in (
        "within", "net_between", "transvariation")]
    assert bars[0]["data"] == pytest.approx([b["within"] for b in first["bars"]], abs=1e-15)
    totals = [s for s in dagum["series"] if s["type"] == "scatter"][0]["data"]
    assert totals == pytest.approx([b["total"] for b in first["bars"]], abs=1e-15)
    assert dagum["titles"] == [v["label"] for v in data["dagum"]["variables"]]

    matrix = page.evaluate(OPTION, "gini-matrix-chart")
    assert matrix["y_labels"][0] == data["gini_matrix"]["cities"]
    assert len(matrix["series"][0]["data"]) == 9  # 3 × 3 cells

    beta = page.evaluate(OPTION, "panel-beta-chart")
    specs = data["panel_beta"]["specs"]
    ci, points = beta["series"]
    # JSON carries the floats exactly, so they compare equal
    assert ci["data"] == [[s["ci_low"], s["ci_high"], i] for i, s in enumerate(specs)]
    assert points["data"] == [[s["beta"], i] for i, s in enumerate(specs)]
    assert beta["y_labels"][0] == [s["label"] for s in specs]

    growth = page.evaluate(OPTION, "panel-growth-chart")
    scatter = [s for s in growth["series"] if s["type"] == "scatter"]
    assert sum(len(s["data"]) for s in scatter) == len(data["panel_beta"]["points"]) == 12
    assert [s["name"] for s in scatter] == data["panel_beta"]["cities"]


def test_analysis_charts_chinese(page, shot):
    page.goto("/analysis/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    for chart in CHARTS:
        _check_drawn(page, chart, "zh")
    data = _embedded(page)
    _check_values(page, data)
    # labels arrive in the reader's language from the view
    assert data["dagum"]["words"]["within"] == "城市内 G_w"
    assert data["panel_beta"]["cities"] == ["长沙市", "株洲市", "湘潭市"]
    assert data["panel_beta"]["specs"][0]["label"] == "混合回归，无固定效应（绝对收敛）"
    assert data["composite"]["labels"]["ST"] == "总效应指数 ST"
    assert "5–95% 排名区间" in page.locator("#composite-table").inner_text()
    page.locator("#composite").screenshot(path=str(SCREENSHOTS / "analysis-composite-zh.png"))
    assert page.js_errors == []
    shot("analysis-zh")


def test_analysis_charts_english(page, shot):
    page.goto("/analysis/")
    with page.expect_navigation():
        page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    for chart in CHARTS:
        _check_drawn(page, chart, "en")
    data = _embedded(page)
    _check_values(page, data)
    assert data["dagum"]["words"]["within"] == "within cities G_w"
    assert data["panel_beta"]["cities"] == ["Changsha", "Zhuzhou", "Xiangtan"]
    assert data["ge2"]["words"]["between"] == "between cities"
    assert page.js_errors == []
    shot("analysis-en")
