"""`czt method NAME --input FILE.csv [options] --format json|table`: the analytics methods.

Thin: read the wide CSV (first column unit id), call the same function the Python API and
the web use, print JSON (``result.to_dict()``) or tables. Bad input stops with one message
naming file, row and column, in Chinese (default) or English (``--lang en``); exit code 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

import click
import pandas as pd

from czt.methods.inputs import MethodInputError, option_error, read_wide_csv, split_names
from czt.methods.results import MethodResult

LANG = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
    help="消息语言 / language of messages and headings",
)
FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
    help="输出格式 / output format",
)
INPUT = click.option(
    "--input", "-i", "input_path", required=True, type=click.Path(dir_okay=False),
    help="宽表 CSV：第一列为单位代码 / wide CSV, first column = unit id",
)
BILINGUAL = "czt_bilingual"  # a table with columns zh and en: only one is printed
COLUMNS = click.option(
    "--columns", default=None,
    help="参与计算的列，逗号分隔（默认全部）/ columns to use (default all)",
)


@click.group()
def method() -> None:
    """区域分析方法 / integration analytics (theil, convergence, entropy, topsis, coupling,
    linkage, composite)."""


def _runner(build: Callable[..., tuple[MethodResult, list[tuple[str, str, pd.DataFrame]]]]):
    """Wrap a command body: common options, error handling, output."""

    @INPUT
    @FORMAT
    @LANG
    @wraps(build)
    def command(input_path: str, fmt: str, lang: str, **options: Any) -> None:
        try:
            result, tables = build(input_path, **options)
        except MethodInputError as exc:
            prefix = "Error: " if lang == "en" else "错误："
            click.echo(prefix + exc.message(lang), err=True)
            raise SystemExit(1) from exc
        if fmt == "json":
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            return
        _print_tables(tables, lang)

    return command


def _print_tables(tables: list[tuple[str, str, pd.DataFrame]], lang: str) -> None:
    with pd.option_context(
        "display.unicode.east_asian_width", True,
        "display.max_rows", None, "display.max_columns", None, "display.width", 200,
    ):
        for k, (zh, en, frame) in enumerate(tables):
            if k:
                click.echo("")
            click.echo(en if lang == "en" else zh)
            if frame.attrs.get(BILINGUAL):  # columns zh and en: print the reader's language
                frame = frame[["en" if lang == "en" else "zh"]]
            click.echo(frame.to_string(float_format=_number, na_rep="—"))


def _number(v: float) -> str:
    if float(v).is_integer() and abs(v) < 1e15:
        return f"{v:.0f}"
    return f"{v:.2f}" if abs(v) >= 1e4 else f"{v:.6g}"


def _facts(pairs: dict[str, object]) -> pd.DataFrame:
    frame = pd.DataFrame({"value": list(pairs.values())}, index=list(pairs), dtype=object)
    frame.index.name = "item"
    return frame


def _floats(text: str | None, option: str) -> list[float] | dict[str, float] | None:
    """``0.2,0.8`` -> list; ``A=0.2,B=0.8`` -> dict."""
    if text is None:
        return None
    parts = split_names(text)
    try:
        if all("=" in p for p in parts):
            return {k.strip(): float(v) for k, v in (p.split("=", 1) for p in parts)}
        return [float(p) for p in parts]
    except ValueError:
        raise option_error(
            option, f"无法解析 {text!r}（应为 0.2,0.8 或 A=0.2,B=0.8）",
            f"cannot parse {text!r} (expected 0.2,0.8 or A=0.2,B=0.8)",
        ) from None


# ----------------------------------------------------------------------------- theil


@method.command("theil")
@click.option("--value", required=True, help="指标列 / indicator column")
@click.option("--weight", default=None, help="权重列，如人口 / weight column, e.g. population")
@click.option("--group", default=None, help="分组列，如所属城市 / group column, e.g. city")
@click.option("--ddof", type=click.IntRange(0, 1), default=0, show_default=True,
              help="不加权变异系数的自由度修正 / ddof of the unweighted CV")
@click.option("--primacy", "primacy_of", default=None,
              help="首位度所用的总量列，如 GDP / column for primacy shares, e.g. gdp")
@_runner
def theil_command(path: str, value: str, weight: str | None, group: str | None, ddof: int,
                  primacy_of: str | None):
    """差异：变异系数、基尼（Dagum 分解）、泰尔与 GE(2)（组间/组内分解）、首位度 /
    disparity measures with decompositions."""
    from czt.methods.disparity import disparity

    frame = read_wide_csv(path, text_columns=[group] if group else [])
    r = disparity(frame, value, weight=weight, group=group, ddof=ddof, primacy_of=primacy_of)
    tables = [("差异指标", "Disparity measures", r.to_frame())]
    if r.theil.groups is not None:
        tables.append(("泰尔指数分组分解（不加权）", "Theil by group (unweighted)", r.theil.groups))
    if r.theil_weighted is not None and r.theil_weighted.groups is not None:
        tables.append(("泰尔指数分组分解（加权）", "Theil by group (weighted)",
                       r.theil_weighted.groups))
    for d, zh, en in ((r.gini_decomposition, "不加权", "unweighted"),
                      (r.gini_decomposition_weighted, "加权", "weighted")):
        if d is not None:
            tables.append((f"基尼系数分组分解（Dagum，{zh}）",
                           f"Gini decomposition by group (Dagum, {en})", d.groups))
            tables.append((f"组间基尼系数（Dagum，{zh}）",
                           f"Gini between pairs of groups (Dagum, {en})", d.pairs))
    for g, zh, en in ((r.ge2, "不加权", "unweighted"), (r.ge2_weighted, "加权", "weighted")):
        if g is not None and g.groups is not None:
            tables.append((f"GE(2) 分组分解（{zh}）", f"GE(2) by group ({en})", g.groups))
    facts = {"basis": r.primacy.basis, "primacy_share": r.primacy.primacy_share,
             "two_unit_index": r.primacy.two_unit_index,
             "four_unit_index": r.primacy.four_unit_index}
    tables.append(("首位度", "Primacy", _facts(facts)))
    tables.append(("份额", "Shares", r.primacy.shares))
    return r, tables


# ----------------------------------------------------------------------- convergence


@method.command("convergence")
@click.option("--years", default=None, help="年份列（默认所有形如 2015 的列）/ year columns")
@click.option("--start", default=None, help="起始年 / start year (default first)")
@click.option("--end", default=None, help="结束年 / end year (default last)")
@click.option("--control", default=None, help="条件收敛控制变量列 / control columns")
@click.option("--cov-type", type=click.Choice(["nonrobust", "HC1", "cluster"]), default=None,
              help="标准误：截面默认 nonrobust，面板默认 cluster（按单位聚类）/ standard errors: "
                   "cross-section default nonrobust, panel default cluster (by unit)")
@click.option("--panel", is_flag=True, default=False,
              help="面板 β 收敛；输入为长表：单位,年份,数值 / panel beta-convergence; long input: "
                   "unit,year,value (a wide by-year file is also accepted)")
@click.option("--year-column", default="year", show_default=True,
              help="长表的年份列 / year column of the long file")
@click.option("--value", default=None,
              help="长表的数值列（默认唯一的其他列）/ value column of the long file "
                   "(default: the only other column)")
@click.option("--span", type=click.IntRange(min=1), default=1, show_default=True,
              help="面板增长间隔 τ（年）/ panel growth span τ in years")
@click.option("--effects", type=click.Choice(["unit", "unit+year", "none", "year"]),
              default="unit", show_default=True,
              help="面板固定效应：unit 条件收敛；none 混合（绝对）收敛 / panel fixed effects: "
                   "unit = conditional, none = pooled (absolute)")
@_runner
def convergence_command(path: str, years: str | None, start: str | None, end: str | None,
                        control: str | None, cov_type: str | None, panel: bool,
                        year_column: str, value: str | None, span: int, effects: str):
    """σ 收敛与 β 收敛（列 = 年份）；--panel 面板 β 收敛 / sigma- and beta-convergence
    (columns = years); --panel: panel beta-convergence."""
    if panel:
        return _panel_convergence(path, years, start, end, cov_type or "cluster",
                                  year_column, value, span, effects)
    from czt.methods.convergence import convergence

    if cov_type == "cluster":
        raise option_error("cov_type", "cluster 只用于面板（--panel）",
                           "cluster is for the panel (--panel) only")
    frame = read_wide_csv(path)
    r = convergence(frame, years=split_names(years) or None, start=start, end=end,
                    controls=split_names(control), cov_type=cov_type or "nonrobust")
    b = r.beta
    beta = {"start_year": b.start_year, "end_year": b.end_year, "n": b.n, "alpha": b.alpha,
            "beta": b.beta, "std_error": b.std_error, "t_value": b.t_value,
            "p_value": b.p_value, "r_squared": b.r_squared, "speed": b.speed,
            "half_life": b.half_life, **{f"control:{k}": v for k, v in b.controls.items()}}
    return r, [
        ("σ 收敛（逐年离散程度）", "Sigma convergence (dispersion by year)", r.sigma.by_year),
        ("σ 收敛趋势（对年份的 OLS 斜率）", "Sigma trend (OLS slope on year)", r.sigma.trend),
        ("β 收敛", "Beta convergence", _facts(beta)),
    ]


def _panel_convergence(path: str, years: str | None, start: str | None, end: str | None,
                       cov_type: str, year_column: str, value: str | None, span: int,
                       effects: str):
    from czt.methods.convergence import panel_beta_convergence, panel_from_wide
    from czt.methods.inputs import read_long_csv, require_columns

    frame = read_long_csv(path, text_columns=[])
    if year_column in frame.columns:
        if value is None:
            others = [c for c in frame.columns if c != year_column]
            if len(others) != 1:
                raise option_error(
                    "value", f"请用 --value 指定数值列（可选：{', '.join(others)}）",
                    f"name the value column with --value (one of: {', '.join(others)})",
                )
            value = others[0]
        require_columns(frame, [value])
        data, value_column = frame, value
    else:  # a wide file, one column per year
        data = panel_from_wide(read_wide_csv(path), split_names(years) or None)
        year_column, value_column = "year", "value"
    r = panel_beta_convergence(
        data, year=year_column, value=value_column, span=span, start=start, end=end,
        unit_effects=effects in ("unit", "unit+year"),
        year_effects=effects in ("year", "unit+year"), cov_type=cov_type)
    facts = {"specification": r.specification, "years": f"{r.first_year}–{r.last_year}",
             "span_years": r.span_years, "n_obs": r.n_obs, "n_units": r.n_units,
             "n_periods": r.n_periods, "beta": r.beta, "std_error": r.std_error,
             "t_value": r.t_value, "p_value": r.p_value, "df_inference": r.df_inference,
             "cov_type": r.cov_type, "n_clusters": r.n_clusters, "alpha": r.alpha,
             "r_squared": r.r_squared, "speed": r.speed, "half_life": r.half_life}
    tables = [("面板 β 收敛", "Panel beta convergence", _facts(facts))]
    if r.notes:
        notes = pd.DataFrame({"zh": r.note_texts("zh"), "en": r.note_texts("en")},
                             index=pd.Index(r.notes, name="note"))
        notes.attrs[BILINGUAL] = True
        tables.append(("提示", "Notes", notes))
    if len(r.missing):
        tables.append(("缺失的单位-年份", "Missing unit-years", r.missing))
    return r, tables


# --------------------------------------------------------------------------- entropy


ENTROPY_OPTIONS = [
    click.option("--variant", type=click.Choice(["minmax", "raw"]), default="minmax",
                 show_default=True, help="极差标准化 / 原始数据比重 (min-max or raw shares)"),
    click.option("--cost", default=None, help="成本型（越小越好）列 / cost columns, e.g. A,B"),
    click.option("--cost-transform", type=click.Choice(["reflect", "reciprocal", "none"]),
                 default="reflect", show_default=True,
                 help="熵值计算前成本型列的变换 / cost-column transform before entropy"),
    click.option("--shift", type=float, default=0.0, show_default=True,
                 help="标准化后平移量（如 0.0001），默认不平移 / shift added after scaling"),
]


def _entropy_options(func: Callable) -> Callable:
    for option in reversed(ENTROPY_OPTIONS):
        func = option(func)
    return func


@method.command("entropy")
@COLUMNS
@_entropy_options
@_runner
def entropy_command(path: str, columns: str | None, variant: str, cost: str | None,
                    cost_transform: str, shift: float):
    """熵权法：各指标的熵、差异系数和权重 / entropy weights."""
    from czt.methods.entropy import entropy_weights

    frame = read_wide_csv(path)
    r = entropy_weights(frame, split_names(columns) or None, variant=variant,
                        cost=split_names(cost), cost_transform=cost_transform, shift=shift)
    facts = {"variant": r.variant, "cost_transform": r.cost_transform, "shift": r.shift,
             "n_units": r.n_units}
    return r, [("熵权法", "Entropy weights", r.table), ("设定", "Settings", _facts(facts))]


# ---------------------------------------------------------------------------- topsis


@method.command("topsis")
@COLUMNS
@click.option("--weights", default="entropy", show_default=True,
              help="entropy | equal | 0.2,0.8 | A=0.2,B=0.8")
@_entropy_options
@_runner
def topsis_command(path: str, columns: str | None, weights: str, variant: str,
                   cost: str | None, cost_transform: str, shift: float):
    """TOPSIS：到理想解的距离、贴近度和排序 / closeness to the ideal and rank."""
    from czt.methods.topsis import topsis

    frame = read_wide_csv(path)
    given: Any = weights if weights in ("entropy", "equal") else _floats(weights, "weights")
    r = topsis(frame, split_names(columns) or None, weights=given, cost=split_names(cost),
               entropy_options={"variant": variant, "cost_transform": cost_transform,
                                "shift": shift})
    return r, [("TOPSIS 结果", "TOPSIS", r.table),
               (f"指标权重（{r.weight_source}）", f"Indicators ({r.weight_source} weights)",
                r.indicators)]


# -------------------------------------------------------------------------- coupling


@method.command("coupling")
@COLUMNS
@click.option("--coefficients", default=None, help="T 的系数 a_i（默认相等）/ T coefficients")
@click.option("--exponent", type=float, default=None,
              help="C 的指数 k（默认 1/n）/ exponent k of C (default 1/n)")
@_runner
def coupling_command(path: str, columns: str | None, coefficients: str | None,
                     exponent: float | None):
    """耦合协调度 C、T、D 与等级 / coupling coordination degree."""
    from czt.methods.coupling import coupling_coordination

    frame = read_wide_csv(path)
    r = coupling_coordination(frame, split_names(columns) or None,
                              coefficients=_floats(coefficients, "coefficients"),
                              exponent=exponent)
    return r, [(f"耦合协调度（k = {r.exponent:g}）", f"Coupling coordination (k = {r.exponent:g})",
                r.table)]


# --------------------------------------------------------------------------- linkage


@method.command("linkage")
@click.option("--population", required=True, help="人口列 / population column")
@click.option("--gdp", required=True, help="GDP 列 / GDP column")
@click.option("--distances", type=click.Path(dir_okay=False), default=None,
              help="距离矩阵 CSV（行列均为单位代码）/ distance matrix CSV")
@click.option("--lat", default=None, help="质心纬度列 / centroid latitude column")
@click.option("--lon", default=None, help="质心经度列 / centroid longitude column")
@click.option("--exponent", type=float, default=2.0, show_default=True,
              help="距离衰减指数 b / distance exponent b")
@_runner
def linkage_command(path: str, population: str, gdp: str, distances: str | None,
                    lat: str | None, lon: str | None, exponent: float):
    """经济联系强度与隶属度（引力模型）/ gravity linkage strength and membership."""
    from czt.methods.linkage import linkage_strength

    frame = read_wide_csv(path)
    matrix = read_wide_csv(distances) if distances else None
    r = linkage_strength(frame, population=population, gdp=gdp, lat=lat, lon=lon,
                         distances=matrix, exponent=exponent)
    return r, [("各单位联系总量", "Total linkage per unit", r.totals),
               ("经济联系强度 R_ij", "Linkage strength R_ij", r.strength),
               ("隶属度 F_ij", "Membership F_ij", r.membership)]


# ------------------------------------------------------------------------- composite


@method.command("composite")
@COLUMNS
@click.option("--cost", default=None, help="成本型（越小越好）列 / cost columns")
@click.option("--framework", "framework_file", type=click.Path(dir_okay=False), default=None,
              help="框架文件（YAML：维度、指标、方向、权重、目标）/ framework file")
@click.option("--year-column", default=None,
              help="年份列（长表：每个单位每年一行）/ year column (one row per unit and year)")
@click.option("--screen-units", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="单位数据可得率下限 / minimum data availability of a unit")
@click.option("--screen-indicators", type=click.FloatRange(0, 1), default=0.0,
              show_default=True, help="指标数据可得率下限 / minimum availability of an indicator")
@click.option("--impute", "impute_with", type=click.Choice(["none", "mean", "median"]),
              default="none", show_default=True, help="缺失值插补 / imputation")
@click.option("--outliers", type=click.Choice(["none", "winsorize"]), default="none",
              show_default=True, help="异常值处理（JRC 偏度/峰度规则）/ outlier treatment")
@click.option("--normalise", "normalisation",
              type=click.Choice(["minmax", "zscore", "rank", "goalposts", "target"]),
              default="minmax", show_default=True, help="标准化 / normalisation")
@click.option("--minmax-range", default="0,100", show_default=True,
              help="极差标准化区间 / min-max target range")
@click.option("--weights", default="equal", show_default=True,
              help="equal | budget | entropy | pca | 0.2,0.8 | A=0.2,B=0.8")
@click.option("--aggregate", "aggregation", type=click.Choice(["arithmetic", "geometric"]),
              default="arithmetic", show_default=True, help="加总 / aggregation")
@click.option("--runs", type=click.IntRange(min=0), default=0, show_default=True,
              help="蒙特卡罗次数（0 = 不做）/ Monte Carlo runs (0 = none)")
@click.option("--weight-noise", type=float, default=0.25, show_default=True,
              help="权重扰动幅度 ±比例 / relative weight perturbation")
@click.option("--sobol", type=click.IntRange(min=0), default=0, show_default=True,
              help="Sobol 敏感性分析基样本数 N（2 的幂，0 = 不做）/ Sobol base sample N")
@click.option("--seed", type=int, default=None, help="随机种子 / random seed")
@_runner
def composite_command(path: str, columns: str | None, cost: str | None,
                      framework_file: str | None, year_column: str | None,
                      screen_units: float, screen_indicators: float, impute_with: str,
                      outliers: str, normalisation: str, minmax_range: str, weights: str,
                      aggregation: str, runs: int, weight_noise: float, sobol: int,
                      seed: int | None):
    """综合指数（OECD/JRC 手册）、排名区间与 Sobol 敏感性 / composite index with rank
    intervals and Sobol sensitivity."""
    from pathlib import Path

    from czt.methods.composite import composite_index
    from czt.methods.composite_framework import load_framework
    from czt.methods.inputs import read_long_csv

    frame = read_long_csv(path) if year_column else read_wide_csv(path)
    framework = None
    if framework_file:
        fw_path = Path(framework_file)
        if not fw_path.is_file():
            raise MethodInputError("file_not_found", file=framework_file)
        framework = load_framework(fw_path.read_text(encoding="utf-8"), framework_file)
    bounds = _floats(minmax_range, "minmax_range")
    if not isinstance(bounds, list) or len(bounds) != 2 or bounds[0] >= bounds[1]:
        raise option_error(
            "minmax_range", "应为 下限,上限，如 1,100", "expected low,high, e.g. 1,100"
        )
    named = ("equal", "budget", "entropy", "pca")
    given: Any = weights if weights in named else _floats(weights, "weights")
    r = composite_index(frame, split_names(columns) or None, cost=split_names(cost),
                        framework=framework, year=year_column, screen_units=screen_units,
                        screen_indicators=screen_indicators, impute_with=impute_with,
                        outliers=outliers, normalisation=normalisation,
                        minmax_range=(bounds[0], bounds[1]), weights=given,
                        aggregation=aggregation, runs=runs, weight_noise=weight_noise,
                        sobol=sobol, seed=seed)
    tables = [("综合指数与排名", "Composite index and rank", r.table)]
    if len(r.dimensions.columns) > 1 + (year_column is not None):
        tables.append(("维度得分", "Dimension scores", r.dimensions))
    tables.append(("指标权重与处理", "Indicator weights and treatment", r.indicators))
    if len(r.screened):
        tables.append(("筛除的单位与指标", "Screened out", r.screened))
    if len(r.imputed):
        tables.append(("插补的单元格", "Imputed cells", r.imputed))
    if len(r.sensitivity):
        tables.append(("Sobol 敏感性指数（输出：平均排名变动）",
                       "Sobol indices (output: mean absolute rank shift)", r.sensitivity))
    return r, tables
