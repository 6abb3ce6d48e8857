"""`czt method …`: JSON and table output, and error messages in both languages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from czt.commands.method import method

COUNTIES = """
code,city,gdp_pc,pop
430102,430100,150000,60
430103,430100,120000,55
430202,430200,90000,40
430203,430200,70000,35
430302,430300,80000,30
430304,430300,60000,25
"""


def run(*args: str):
    return CliRunner().invoke(method, list(args), catch_exceptions=False)


def test_theil_json_adds_up(write_csv) -> None:
    path = write_csv(COUNTIES)
    result = run("theil", "--input", str(path), "--value", "gdp_pc", "--weight", "pop",
                 "--group", "city", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    tw = data["theil_weighted"]
    assert tw["between"] + tw["within"] == pytest.approx(tw["total"], abs=1e-12)
    assert [g["group"] for g in tw["groups"]] == ["430100", "430200", "430300"]
    assert data["n"] == 6


def test_theil_table_in_english(write_csv) -> None:
    result = run("theil", "-i", str(write_csv(COUNTIES)), "--value", "gdp_pc", "--lang", "en")
    assert result.exit_code == 0
    assert "Disparity measures" in result.stdout and "theil" in result.stdout


def test_every_method_runs(write_csv) -> None:
    years = write_csv("code,2015,2016,2017\na,100,110,120\nb,200,206,212\nc,300,305,309\n"
                      "d,150,160,171\n", name="years.csv")
    ind = write_csv("unit,gdp,pm25,rd\nA,100,40,2.1\nB,200,35,3.0\nC,300,50,2.5\nD,150,30,1.8\n",
                    name="ind.csv")
    sub = write_csv("unit,econ,eco\nA,0.5,0.8\nB,0.2,0.3\n", name="sub.csv")
    cities = write_csv("code,name,pop,gdp,lat,lon\n430100,长沙,1042,14332,28.228,112.939\n"
                       "430200,株洲,390,3617,27.828,113.134\n430300,湘潭,273,2696,27.83,112.944\n",
                       name="cities.csv")
    cases = [
        ("convergence", "-i", str(years), "--start", "2015", "--end", "2017"),
        ("entropy", "-i", str(ind), "--cost", "pm25", "--variant", "raw", "--shift", "0.0001"),
        ("topsis", "-i", str(ind), "--cost", "pm25", "--weights", "gdp=1,pm25=1,rd=2"),
        ("coupling", "-i", str(sub), "--exponent", "2", "--coefficients", "0.6,0.4"),
        ("linkage", "-i", str(cities), "--population", "pop", "--gdp", "gdp", "--lat", "lat",
         "--lon", "lon"),
    ]
    for args in cases:
        table = run(*args)
        assert table.exit_code == 0, (args, table.output)
        as_json = run(*args, "--format", "json")
        assert as_json.exit_code == 0, (args, as_json.output)
        json.loads(as_json.stdout)
    entropy = json.loads(run(*cases[1], "--format", "json").stdout)
    assert entropy["shift"] == 0.0001 and entropy["variant"] == "raw"
    topsis = json.loads(run(*cases[2], "--format", "json").stdout)
    assert [i["weight"] for i in topsis["indicators"]] == pytest.approx([0.25, 0.25, 0.5])
    coupling = json.loads(run(*cases[3], "--format", "json").stdout)
    assert coupling["exponent"] == 2.0
    assert coupling["table"][0]["C"] == pytest.approx((4 * 0.4 / 1.3**2) ** 2, abs=1e-12)


def test_errors_name_file_row_column_in_both_languages(write_csv) -> None:
    path = write_csv("code,gdp,pop\n430100,14332,1042\n430200,三千六,390\n")
    zh = run("theil", "-i", str(path), "--value", "gdp")
    assert zh.exit_code == 1
    assert zh.stderr.strip() == (
        f"错误：{path}，第 3 行，单位 430200，列 gdp：值 '三千六' 不是有限数值"
    )
    en = run("theil", "-i", str(path), "--value", "gdp", "--lang", "en")
    assert en.exit_code == 1
    assert en.stderr.strip() == (
        f"Error: {path}, row 3, unit 430200, column gdp: value '三千六' is not a finite number"
    )
    assert en.stdout == ""


def test_missing_unit_id_and_negative_value(write_csv) -> None:
    missing = write_csv("code,gdp\n430100,1\n,2\n", name="missing.csv")
    result = run("theil", "-i", str(missing), "--value", "gdp", "--lang", "en")
    assert result.exit_code == 1
    assert "row 3" in result.stderr and "missing unit id" in result.stderr
    negative = write_csv("code,2015,2020\na,1,2\nb,-1,3\nc,2,2\n", name="neg.csv")
    result = run("convergence", "-i", str(negative))
    assert result.exit_code == 1
    assert "neg.csv，第 3 行，单位 b，列 2015" in result.stderr and "要取对数" in result.stderr


def test_bad_option_value(write_csv) -> None:
    path = write_csv("unit,a,b\nx,0.5,0.5\n")
    result = run("coupling", "-i", str(path), "--coefficients", "0.5,abc", "--lang", "en")
    assert result.exit_code == 1
    assert "invalid option coefficients" in result.stderr


def test_composite_command(write_csv) -> None:
    path = write_csv("unit,a,b\nP,1,10\nQ,,20\nR,5,30\nS,3,25\n", name="comp.csv")
    result = run("composite", "-i", str(path), "--impute", "mean", "--cost", "b",
                 "--weights", "0.75,0.25", "--runs", "50", "--seed", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["imputed"] == [{"unit": "Q", "indicator": "a", "value": 3.0}]
    assert {"rank_median", "rank_p05", "rank_p95"} <= set(data["table"][0])
    table = run("composite", "-i", str(path), "--lang", "en")
    assert table.exit_code == 1 and "missing value" in table.stderr


LONG = """
code,year,gdp_pc
430100,2020,120691
430100,2021,129606
430100,2022,134024
430200,2020,79573
430200,2021,88077
430200,2022,93431
430300,2020,85971
430300,2021,95238
430300,2022,99809
"""


def test_convergence_panel_long_and_wide(write_csv) -> None:
    from czt.methods.convergence import panel_beta_convergence
    from czt.methods.inputs import read_long_csv

    path = write_csv(LONG, name="long.csv")
    result = run("convergence", "-i", str(path), "--panel", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = panel_beta_convergence(read_long_csv(path), value="gdp_pc")
    assert data["beta"] == pytest.approx(expected.beta, abs=1e-15)
    assert (data["specification"], data["cov_type"], data["n_obs"]) == ("unit FE", "cluster", 6)
    wide = write_csv("code,2020,2021,2022\n430100,120691,129606,134024\n"
                     "430200,79573,88077,93431\n430300,85971,95238,99809\n", name="wide.csv")
    same = json.loads(run("convergence", "-i", str(wide), "--panel", "--format", "json").stdout)
    assert same["beta"] == pytest.approx(data["beta"], abs=1e-15)
    pooled = json.loads(run("convergence", "-i", str(path), "--panel", "--effects", "none",
                            "--cov-type", "nonrobust", "--format", "json").stdout)
    assert pooled["specification"] == "pooled" and pooled["alpha"] is not None
    table = run("convergence", "-i", str(path), "--panel", "--effects", "unit+year",
                "--lang", "en")
    assert table.exit_code == 0, table.output
    assert "Panel beta convergence" in table.stdout and "unit + year FE" in table.stdout
    assert "Nickell" in table.stdout and "聚类" not in table.stdout


def test_convergence_panel_errors(write_csv) -> None:
    path = write_csv("code,year,gdp,pop\na,2020,1,2\na,2021,2,2\n", name="two.csv")
    result = run("convergence", "-i", str(path), "--panel", "--lang", "en")
    assert result.exit_code == 1
    assert "--value" in result.stderr and "gdp, pop" in result.stderr
    cross = write_csv("code,2015,2020\na,1,2\nb,2,3\nc,3,3\n", name="cross.csv")
    result = run("convergence", "-i", str(cross), "--cov-type", "cluster", "--lang", "en")
    assert result.exit_code == 1 and "--panel" in result.stderr
    dup = write_csv("code,year,v\na,2020,1\na,2020,2\n", name="dup.csv")
    result = run("convergence", "-i", str(dup), "--panel")
    assert result.exit_code == 1
    assert "dup.csv，第 3 行，单位 a，列 year：同一单位同一年份出现两次（首次出现在第 2 行）" in (
        result.stderr)


def test_theil_prints_the_gini_decomposition(write_csv) -> None:
    path = write_csv(COUNTIES)
    result = run("theil", "-i", str(path), "--value", "gdp_pc", "--weight", "pop",
                 "--group", "city", "--lang", "en")
    assert result.exit_code == 0, result.output
    for heading in ("Gini decomposition by group (Dagum, weighted)",
                    "Gini between pairs of groups (Dagum, weighted)", "gini_transvariation",
                    "ge2_between"):
        assert heading in result.stdout
    data = json.loads(run("theil", "-i", str(path), "--value", "gdp_pc", "--group", "city",
                          "--format", "json").stdout)
    d = data["gini_decomposition"]
    assert d["within"] + d["net_between"] + d["transvariation"] == pytest.approx(
        d["total"], abs=1e-12)


COMPOSITE_FRAMEWORK = """\
name_zh: 测试指数
name_en: Test index
dimensions:
  - code: econ
    name_zh: 经济
    name_en: Economy
    indicators:
      - column: a
      - column: b
        direction: cost
  - code: env
    name_zh: 环境
    name_en: Environment
    indicators:
      - column: c
"""


def test_composite_framework_years_and_sobol(write_csv, tmp_path) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text(COMPOSITE_FRAMEWORK, encoding="utf-8")
    path = write_csv("unit,year,a,b,c\nP,2020,1,10,10\nQ,2020,2,20,40\nR,2020,5,30,70\n"
                     "P,2021,2,10,20\nQ,2021,3,15,40\nR,2021,5,30,80\n", name="panel.csv")
    result = run("composite", "-i", str(path), "--framework", str(fw), "--year-column", "year",
                 "--sobol", "64", "--seed", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    first = data["table"][0]
    # pooled min-max: a (1 − 1)/4 = 0, b (30 − 10)/20 = 1, c (10 − 10)/70 = 0 (×100)
    # econ = 50, env = 0 -> P 2020 = 25
    assert (first["unit"], first["year"], first["score"]) == ("P", 2020, pytest.approx(25.0))
    assert [row["rank"] for row in data["table"]] == [3, 2, 1, 3, 2, 1]
    assert [d["factor"] for d in data["sensitivity"]] == [
        "normalisation", "aggregation", "weighting", "weights_noise"]
    assert data["settings"]["sobol_runs"] == 64 * 6
    table = run("composite", "-i", str(path), "--framework", str(fw), "--year-column", "year",
                "--lang", "en")
    assert "Dimension scores" in table.stdout and "econ" in table.stdout


def test_composite_framework_error_names_line(write_csv, tmp_path) -> None:
    fw = tmp_path / "bad.yaml"
    fw.write_text(COMPOSITE_FRAMEWORK.replace("direction: cost", "direction: lower"),
                  encoding="utf-8")
    path = write_csv("unit,a,b,c\nP,1,10,10\nQ,2,20,40\nR,5,30,70\n", name="w.csv")
    result = run("composite", "-i", str(path), "--framework", str(fw))
    assert result.exit_code == 1
    assert "bad.yaml，第 10 行，字段 dimensions[0].indicators[1].direction：取值 'lower' 无效" \
        in result.stderr
