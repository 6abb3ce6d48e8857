"""``czt flows …``: the big-data origin–destination path from the command line.

Thin on purpose: each command parses options, calls the same functions a page or notebook
calls (:mod:`czt.flows`), and prints their result (human text, or ``--json``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from czt.flows import schema
from czt.flows.dataset import FlowDataset, default_root
from czt.flows.engines import ENGINES, AggregateSpec, NoFilesError, aggregate, get_engine
from czt.flows.synth import SynthParams
from czt.flows.validate import FlowValidationError, validate_files

LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=lambda: os.environ.get("CZT_LANG", "zh"),
    show_default="zh (或 CZT_LANG)",
    help="消息语言 / message language.",
)
_D = SynthParams()  # one source of truth for the generator defaults
AS_JSON = click.option("--json", "as_json", is_flag=True, help="输出 JSON / print JSON.")


class RowCount(click.ParamType):
    """Row counts as people write them: 1000000, 1_000_000, 1e6, 10M."""

    name = "rows"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).replace("_", "").strip().lower()
        scale = {"k": 10**3, "m": 10**6, "g": 10**9, "b": 10**9}.get(text[-1:], 1)
        try:
            number = float(text[:-1] if scale > 1 else text) * scale
        except ValueError:
            self.fail(f"{value!r} is not a row count (e.g. 1e6, 10M)", param, ctx)
        if number < 1 or number != int(number):
            self.fail(f"{value!r} must be a positive whole number", param, ctx)
        return int(number)


def _date(_ctx, _param, value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def engine_options(func: Callable) -> Callable:
    """Options shared by ``aggregate`` and ``metrics``: source, engine and filters."""

    @click.argument("source", nargs=-1, type=click.Path(path_type=Path))
    @click.option(
        "--dataset",
        type=click.Path(path_type=Path),
        default=None,
        help="数据集目录 (默认 $CZT_HOME/flows) / dataset folder.",
    )
    @click.option("--engine", type=click.Choice(ENGINES), default="duckdb", show_default=True)
    @click.option(
        "--master",
        default="local[*]",
        show_default=True,
        help="Spark master URL (spark://host:7077, yarn, local[*]).",
    )
    @click.option("--memory-limit", default="2GB", show_default=True, help="DuckDB memory limit.")
    @click.option("--threads", type=int, default=None, help="DuckDB threads (default: all).")
    @click.option(
        "--period",
        type=click.Choice(schema.PERIOD_GRAINS),
        default=None,
        help="时段粒度 / time-of-day grain.",
    )
    @click.option("--kind", "kinds", multiple=True, type=click.Choice(list(schema.KINDS)))
    @click.option("--start", callback=_date, help="YYYY-MM-DD")
    @click.option("--end", callback=_date, help="YYYY-MM-DD")
    @click.option("--progress/--no-progress", default=True, show_default=True)
    @functools.wraps(func)
    def wrapper(source, dataset, engine, master, memory_limit, threads, **kw):
        src = list(source) if source else FlowDataset(dataset or default_root())
        if engine == "spark":
            eng = get_engine("spark", master=master)
        else:
            eng = get_engine("duckdb", memory_limit=memory_limit, threads=threads)
        return func(src=src, eng=eng, **kw)

    return wrapper


def _emit(payload: dict, as_json: bool, text: str) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=1, default=str) if as_json else text)


@click.group()
def flows() -> None:
    """起讫点流动 (OD) 大数据: synth, validate, ingest, aggregate, metrics."""


@flows.command()
@click.option("--rows", type=RowCount(), default="1e6", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="输出目录 / folder.")
@click.option("--seed", type=int, default=_D.seed, show_default=True)
@click.option("--start", callback=_date, default=_D.start.isoformat(), show_default=True)
@click.option("--end", callback=_date, default=_D.end.isoformat(), show_default=True)
@click.option(
    "--border",
    type=float,
    default=_D.border_start,
    show_default=True,
    help="起始边界效应: 市内流量是跨市的几倍 (1 = 无) / border factor at start.",
)
@click.option(
    "--border-end",
    type=float,
    default=_D.border_end,
    show_default=True,
    help="结束时的边界效应 / border factor at the end (log-linear path).",
)
@click.option("--distance-decay", type=float, default=_D.distance_decay, show_default=True)
@click.option(
    "--home",
    type=float,
    default=_D.home,
    show_default=True,
    help="同区县流动的额外倍数 / extra factor on same-district flows.",
)
@click.option(
    "--growth", type=float, default=_D.growth, show_default=True, help="年增长 / per year."
)
@click.option(
    "--noise",
    type=float,
    default=_D.noise,
    show_default=True,
    help="区县对×月 对数正态噪声 σ / pair×month log-normal noise.",
)
@click.option("--rows-per-file", type=RowCount(), default="20M", show_default=True)
@click.option("--chunk-rows", type=RowCount(), default="2M", show_default=True)
@click.option("--progress/--no-progress", default=True, show_default=True)
@LANG
@AS_JSON
def synth(
    rows,
    out,
    seed,
    start,
    end,
    border,
    border_end,
    distance_decay,
    home,
    growth,
    noise,
    rows_per_file,
    chunk_rows,
    progress,
    lang,
    as_json,
):
    """生成合成 OD 记录 (仅供测试、演示、基准) / write synthetic OD records."""
    from czt.flows.messages import msg
    from czt.flows.synth import synthesize

    params = SynthParams(
        rows=rows,
        start=start,
        end=end,
        seed=seed,
        border_start=border,
        border_end=border_end,
        distance_decay=distance_decay,
        home=home,
        growth=growth,
        noise=noise,
        rows_per_file=rows_per_file,
        chunk_rows=chunk_rows,
    )
    result = synthesize(out, params, progress=progress)
    text = (
        f"{msg('synthetic_note', lang, seed=seed)}: {result.rows:,} rows, "
        f"{len(result.files)} files, {result.bytes / 2**20:.1f} MiB, {result.seconds:.1f} s "
        f"→ {out}"
    )
    _emit(result.to_dict(), as_json, text)


@flows.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@LANG
@AS_JSON
def validate(files, lang, as_json):
    """只校验、不导入 / validate files without ingesting."""
    reports = validate_files(files, progress=not as_json)
    _emit(
        {"files": [r.to_dict(lang) for r in reports]},
        as_json,
        "\n".join(r.message(lang) for r in reports),
    )
    if not all(r.ok for r in reports):
        sys.exit(1)


@flows.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--dataset",
    type=click.Path(path_type=Path),
    default=None,
    help="数据集目录 (默认 $CZT_HOME/flows) / dataset folder.",
)
@click.option("--progress/--no-progress", default=True, show_default=True)
@LANG
@AS_JSON
def ingest(files, dataset, progress, lang, as_json):
    """校验并导入 (整批接收或整批拒绝) / validate and ingest, all or nothing."""
    ds = FlowDataset(dataset or default_root())
    try:
        result = ds.ingest(files, lang=lang, progress=progress)
    except FlowValidationError as err:
        if as_json:
            click.echo(
                json.dumps(
                    {"ok": False, "files": [r.to_dict(lang) for r in err.reports]},
                    ensure_ascii=False,
                    indent=1,
                )
            )
        else:
            click.echo(err.message(lang), err=True)
        sys.exit(1)
    _emit(result.to_dict(lang), as_json, result.message(lang))


@flows.command(name="aggregate")
@engine_options
@click.option(
    "--time",
    "time_grain",
    type=click.Choice(schema.TIME_GRAINS),
    default="month",
    show_default=True,
    help="日历粒度 / calendar grain.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="写出 .parquet 或 .csv / write result to .parquet or .csv.",
)
@LANG
@AS_JSON
def aggregate_command(
    src,
    eng,
    time_grain,
    period,
    kinds,
    start,
    end,
    progress,
    out,
    lang,
    as_json,
):
    """聚合到 区县对 × 时间 × 时段 × 类型 / aggregate to pair × time × period × kind."""
    spec = AggregateSpec(
        time=time_grain, period=period or "hour", kinds=tuple(kinds) or None, start=start, end=end
    )
    agg = _run(lambda: aggregate(src, spec, engine=eng, progress=progress), lang)
    if out:
        if out.suffix == ".csv":
            agg.frame.to_csv(out, index=False)
        else:
            agg.frame.to_parquet(out, index=False)
    d = agg.to_dict(limit=0)
    zh = (
        f"{agg.engine}: {d['records']:,} 条记录 → {d['groups']:,} 组, 流量合计 {d['flows']:,}, "
        f"{agg.seconds:.2f} 秒"
    )
    en = (
        f"{agg.engine}: {d['records']:,} records → {d['groups']:,} groups, total flows "
        f"{d['flows']:,}, {agg.seconds:.2f} s"
    )
    _emit(
        agg.to_dict() if out is None else agg.to_dict(limit=0),
        as_json,
        (zh if lang == "zh" else en) + (f" → {out}" if out else ""),
    )


@flows.command()
@engine_options
@click.option(
    "--time",
    "time_grain",
    type=click.Choice(["month", "quarter", "year"]),
    default="quarter",
    show_default=True,
    help="模型时期 / model period.",
)
@click.option(
    "--border/--no-border",
    default=True,
    show_default=True,
    help="估计 PPML 边界效应 / estimate the PPML border effect.",
)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="写出 JSON / JSON file.")
@LANG
@AS_JSON
def metrics(
    src,
    eng,
    time_grain,
    period,
    kinds,
    start,
    end,
    progress,
    border,
    out,
    lang,
    as_json,
):
    """跨市占比、强度与边界效应 / cross-city shares, intensity and border effect."""
    from czt.flows.pipeline import flow_pipeline

    spec = AggregateSpec(
        time=time_grain, period=period or "day", kinds=tuple(kinds) or None, start=start, end=end
    )
    # the pipeline hides the PPML start-up behind the aggregation; same numbers as
    # flow_metrics(aggregate(...)), see czt.flows.pipeline
    result = _run(lambda: flow_pipeline(src, spec, engine=eng, border=border,
                                        progress=progress), lang).metrics
    payload = result.to_dict()
    if out:
        out.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), "utf-8")
    _emit(payload, as_json, _metrics_text(result, lang))


def _run(action: Callable, lang: str):
    try:
        return action()
    except NoFilesError as err:
        click.echo(str(err), err=True)
        sys.exit(2)


def _metrics_text(result, lang: str) -> str:
    zh = lang == "zh"
    lines = [
        "时期       跨市占比   边界效应 exp(−β) [95% 区间]"
        if zh
        else "period     cross-city share   border exp(−β) [95% CI]"
    ]
    ov = result.shares.overall
    per = result.border.periods.set_index("time") if result.border is not None else None
    for _, row in ov.iterrows():
        cell = ""
        if per is not None and row["time"] in per.index:
            b = per.loc[row["time"]]
            cell = f"{b['ratio']:.2f} [{b['ratio_low']:.2f}, {b['ratio_high']:.2f}]"
        label = (
            per.loc[row["time"], "label"]
            if per is not None and row["time"] in per.index
            else str(row["time"])[:10]
        )
        lines.append(f"{label:<10} {row['cross_city_share']:>8.2%}   {cell}")
    if result.border is not None:
        b = result.border
        tr = b.trend.to_dict()
        lines.append(
            (
                f"合并: exp(−β) = {b.pooled.ratio:.2f}; 趋势: β 每年变化 {tr['beta']:+.3f} "
                f"[{tr['ci_low']:+.3f}, {tr['ci_high']:+.3f}] (正值 = 边界减弱); "
                f"距离弹性 {b.distance.beta:.2f}"
            )
            if zh
            else (
                f"pooled: exp(−β) = {b.pooled.ratio:.2f}; trend: β changes {tr['beta']:+.3f} "
                f"[{tr['ci_low']:+.3f}, {tr['ci_high']:+.3f}] per year (positive = border fading); "
                f"distance elasticity {b.distance.beta:.2f}"
            )
        )
    return "\n".join(lines)
