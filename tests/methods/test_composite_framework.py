"""Composite index with a framework file: dimensions, screening, goalposts, targets, budget
weights, years, contributions, the log fallback of the outlier rule, and the file's errors.

Every expected value is computed by hand in the comment next to it; tolerance 1e-12 unless
stated."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from czt.methods.composite import composite_index, log_ct_plus
from czt.methods.composite_framework import FrameworkError, load_framework
from czt.methods.errors import MethodInputError

FRAMEWORK = """\
name_zh: 测试指数
name_en: Test index
dimensions:
  - code: econ
    name_zh: 经济
    name_en: Economy
    weight: 3
    indicators:
      - column: a
        weight: 30
        goalposts: [0, 10]
        target: 4
      - column: b
        direction: cost
        weight: 10
        goalposts: [10, 30]
        target: 15
  - code: env
    name_zh: 环境
    name_en: Environment
    weight: 1
    indicators:
      - column: c
        weight: 5
        goalposts: [0, 100]
        target: 80
"""

# a: 1, 2, 5 -> min-max 0, 25, 100; b (cost): 10, 20, 30 -> 100, 50, 0; c: 10, 40, 70 -> 0, 50, 100
FRAME = pd.DataFrame(
    {"a": [1.0, 2.0, 5.0], "b": [10.0, 20.0, 30.0], "c": [10.0, 40.0, 70.0]},
    index=pd.Index(list("PQR"), name="unit"),
)


def test_two_level_arithmetic_by_hand() -> None:
    fw = load_framework(FRAMEWORK)
    r = composite_index(FRAME, framework=fw)  # equal within dimensions, W = 3/4, 1/4
    # econ = (a + b)/2: P 50, Q 37.5, R 50;  env = c: 0, 50, 100
    assert r.dimensions["econ"].to_list() == pytest.approx([50.0, 37.5, 50.0], abs=1e-12)
    assert r.dimensions["env"].to_list() == pytest.approx([0.0, 50.0, 100.0], abs=1e-12)
    # index = 0.75 econ + 0.25 env: 37.5, 40.625, 62.5
    assert r.table["score"].to_list() == pytest.approx([37.5, 40.625, 62.5], abs=1e-12)
    assert r.table["rank"].to_list() == [3, 2, 1]
    assert r.indicators["weight"].to_list() == pytest.approx([0.375, 0.375, 0.25], abs=1e-15)
    contrib = r.contributions.groupby("unit", sort=False)["contribution"].sum()
    assert contrib.to_list() == pytest.approx(r.table["score"].to_list(), abs=1e-12)


def test_budget_weights_rescale_within_dimension() -> None:
    r = composite_index(FRAME, framework=load_framework(FRAMEWORK), weights="budget")
    # econ = 0.75 a + 0.25 b: P 25, Q 31.25, R 75;  index = 0.75 econ + 0.25 c
    assert r.dimensions["econ"].to_list() == pytest.approx([25.0, 31.25, 75.0], abs=1e-12)
    assert r.table["score"].to_list() == pytest.approx(
        [18.75, 0.75 * 31.25 + 12.5, 0.75 * 75 + 25], abs=1e-12
    )
    assert r.indicators["weight_in_dimension"].to_list() == pytest.approx([0.75, 0.25, 1.0])
    with pytest.raises(MethodInputError, match="budget"):
        composite_index(FRAME, weights="budget")  # no framework, no budget


def test_goalposts_and_target_by_hand() -> None:
    fw = load_framework(FRAMEWORK)
    r = composite_index(FRAME, framework=fw, normalisation="goalposts")
    z = r.contributions.pivot(index="unit", columns="indicator", values="normalised")
    # a on [0, 10]: 10, 20, 50;  b cost on [10, 30]: 100, 50, 0;  c on [0, 100]: 10, 40, 70
    assert z.loc[list("PQR"), "a"].to_list() == pytest.approx([10.0, 20.0, 50.0])
    assert z.loc[list("PQR"), "b"].to_list() == pytest.approx([100.0, 50.0, 0.0])
    assert z.loc[list("PQR"), "c"].to_list() == pytest.approx([10.0, 40.0, 70.0])
    t = composite_index(FRAME, framework=fw, normalisation="target")
    z = t.contributions.pivot(index="unit", columns="indicator", values="normalised")
    # a: (x − 1)/(4 − 1) capped: 0, 1/3, 1;  b cost: (30 − x)/(30 − 15): 1 (capped), 2/3, 0
    # c: (x − 10)/(80 − 10): 0, 3/7, 6/7
    assert z.loc[list("PQR"), "a"].to_list() == pytest.approx([0.0, 100 / 3, 100.0])
    assert z.loc[list("PQR"), "b"].to_list() == pytest.approx([100.0, 200 / 3, 0.0])
    assert z.loc[list("PQR"), "c"].to_list() == pytest.approx([0.0, 300 / 7, 600 / 7])


def test_goalposts_clip_outside_values() -> None:
    fw = load_framework(FRAMEWORK.replace("goalposts: [0, 10]", "goalposts: [2, 4]"))
    r = composite_index(FRAME, framework=fw, normalisation="goalposts")
    z = r.contributions.pivot(index="unit", columns="indicator", values="normalised")
    assert z.loc[list("PQR"), "a"].to_list() == [0.0, 0.0, 100.0]  # 1 → 0, 2 → 0, 5 → 100


def test_unreachable_target_names_the_field() -> None:
    fw = load_framework(FRAMEWORK.replace("target: 4", "target: 0.5"), "f.yaml")
    with pytest.raises(FrameworkError) as info:
        composite_index(FRAME, framework=fw, normalisation="target")
    assert info.value.field == "dimensions[0].indicators[0]"
    assert "目标值 0.5 不优于数据中的最差值 1.0" in str(info.value)


def test_geometric_contributions_sum_to_log_score() -> None:
    r = composite_index(FRAME, framework=load_framework(FRAMEWORK), aggregation="geometric",
                        minmax_range=(1, 100))
    logs = r.contributions.groupby("unit", sort=False)["contribution"].sum()
    assert logs.to_list() == pytest.approx(np.log(r.table["score"]).to_list(), abs=1e-12)
    # P: a 1, b 100, c 1 -> econ sqrt(100) = 10; index 10^0.75 · 1^0.25
    assert r.table.loc["P", "score"] == pytest.approx(10**0.75, abs=1e-12)


def test_screening_drops_rows_then_indicators() -> None:
    frame = pd.DataFrame(
        {"a": [1.0, 2, 3, 4, np.nan], "b": [5.0, np.nan, 7, 9, np.nan],
         "c": [1.0, np.nan, np.nan, 2, 3]},
        index=pd.Index(list("PQRST"), name="unit"),
    )
    r = composite_index(frame, screen_units=0.5, screen_indicators=0.75, impute_with="mean")
    # coverage of rows: P 1, Q 1/3, R 2/3, S 1, T 1/3 -> Q and T dropped (< 0.5)
    # then over P, R, S: a 1, b 1, c 2/3 -> c dropped (< 0.75)
    assert r.screened.to_dict("records") == [
        {"kind": "unit", "id": "Q", "coverage": pytest.approx(1 / 3), "threshold": 0.5},
        {"kind": "unit", "id": "T", "coverage": pytest.approx(1 / 3), "threshold": 0.5},
        {"kind": "indicator", "id": "c", "coverage": pytest.approx(2 / 3), "threshold": 0.75},
    ]
    assert r.table.index.to_list() == ["P", "R", "S"]
    assert r.indicators.index.to_list() == ["a", "b"]
    assert r.imputed.empty


def test_log_fallback_when_winsorizing_is_not_enough() -> None:
    v = np.array([1.0] * 20 + [1e6, 1e7])
    frame = pd.DataFrame({"a": v, "b": np.arange(22.0)})
    r = composite_index(frame, outliers="winsorize", winsor_max=1)
    row = r.indicators.loc["a"]
    assert bool(row["log_transformed"]) and row["winsorized_points"] == 0
    # log_CT_plus: ln(x − 1 + a), a = 0.01 (1e7 − 1)
    a = 0.01 * (1e7 - 1)
    expected = np.log(v - 1 + a)
    assert log_ct_plus(v) == pytest.approx(expected, rel=1e-12)
    z = r.contributions.query("indicator == 'a'")["normalised"].to_numpy()
    assert z == pytest.approx(100 * (expected - expected.min()) / np.ptp(expected), abs=1e-9)
    assert not bool(r.indicators.loc["b", "log_transformed"])


def test_years_pool_normalisation_and_rank_within_year() -> None:
    frame = pd.DataFrame(
        {"year": [2020, 2020, 2020, 2021, 2021, 2021], "a": [1.0, 2, 3, 4, 5, 9],
         "b": [3.0, 2, 1, 6, 5, 4]},
        index=pd.Index(list("PQRPQR"), name="unit"),
    )
    r = composite_index(frame, year="year")
    # pooled min-max: a (x − 1)/8 · 100, b (x − 1)/5 · 100; equal weights
    expected = 50 * (frame["a"] - 1) / 8 + 50 * (frame["b"] - 1) / 5
    assert r.table["score"].to_list() == pytest.approx(expected.to_list(), abs=1e-12)
    assert r.table["year"].to_list() == [2020] * 3 + [2021] * 3
    # 2020: P 20, Q 16.25, R 12.5;  2021: P 68.75, Q 65, R 80
    assert r.table["rank"].to_list() == [1, 2, 3, 2, 3, 1]
    mc = composite_index(frame, year="year", runs=200, sobol=16, seed=1)
    assert len(mc.table) == 6 and mc.table["rank_p95"].max() <= 3  # ranks within a year
    dup = frame.copy()
    dup.iloc[3, 0] = 2020
    with pytest.raises(MethodInputError, match="同一单位同一年份"):
        composite_index(dup, year="year")


def test_framework_errors_name_line_and_field() -> None:
    bad = """\
name_zh: 测试
name_en: Test
dimensions:
  - code: econ
    name_zh: 经济
    name_en: Economy
    indicators:
      - column: a
        direction: larger
        goalposts: [10, 0]
      - column: a
        wieght: 3
  - code: 2env
    name_zh: 环境
    name_en: Env
    weight: 1
    indicators: []
"""
    with pytest.raises(FrameworkError) as info:
        load_framework(bad, "fw.yaml")
    found = {(e.key, e.row, e.field) for e in info.value.errors}
    assert found == {
        ("bad_choice", 9, "dimensions[0].indicators[0].direction"),
        ("bad_goalposts", 10, "dimensions[0].indicators[0].goalposts"),
        ("unknown_field", 12, "dimensions[0].indicators[1].wieght"),
        ("bad_code", 13, "dimensions[1].code"),
        ("not_list", 17, "dimensions[1].indicators"),
        ("duplicate_column", 11, "dimensions[0].indicators[1].column"),
        ("partial_weights", 4, "dimensions[0]"),
    }
    assert info.value.message("en").startswith("fw.yaml, line 9, field "
                                               "dimensions[0].indicators[0].direction: ")
    assert "（另有 6 处问题）" in str(info.value)


def test_framework_column_missing_from_data() -> None:
    fw = load_framework(FRAMEWORK.replace("column: c", "column: pm25"), "fw.yaml")
    with pytest.raises(FrameworkError) as info:
        composite_index(FRAME, framework=fw)
    assert info.value.field == "dimensions[1].indicators[0]"
    assert info.value.message("en").endswith("the data has no column 'pm25'; columns are: a, b, c")


def test_goalposts_need_every_indicator() -> None:
    fw = load_framework(FRAMEWORK.replace("        goalposts: [0, 100]\n", ""))
    with pytest.raises(FrameworkError, match="goalposts"):
        composite_index(FRAME, framework=fw, normalisation="goalposts")
    assert math.isclose(composite_index(FRAME, framework=fw).table["score"].iloc[0], 37.5)


def test_shipped_framework_follows_the_catalogue() -> None:
    import csv
    from importlib import resources

    from czt.methods.composite_framework import default_framework

    fw = default_framework()
    text = resources.files("czt.reference").joinpath("indicators.csv").read_text("utf-8")
    catalogue = {row["code"]: row for row in csv.DictReader(text.splitlines())}
    areas = resources.files("czt.reference").joinpath("areas.csv").read_text("utf-8")
    area_codes = [row["code"] for row in csv.DictReader(areas.splitlines())]
    assert [d.code for d in fw.dimensions] == [a for a in area_codes
                                               if a in {d.code for d in fw.dimensions}]
    for ind in fw.indicators:
        row = catalogue[ind.column]
        assert row["area"] == ind.dimension
        assert ind.direction == {"higher": "benefit", "lower": "cost"}[row["polarity"]]
        assert row["aggregation"] != "sum" and row["kind"] != "index"
    directed = [c for c, r in catalogue.items() if r["polarity"] in ("higher", "lower")
                and r["aggregation"] != "sum" and r["kind"] != "index"]
    assert sorted(fw.columns) == sorted(directed)
