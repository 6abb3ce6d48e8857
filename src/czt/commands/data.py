"""Data commands: set-up, import, target monitoring, coverage, totals."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                    help="输出语言 / output language")
FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                      default="table", show_default=True)
AS_OF = click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="按该日已发布的数据 / as published on this date (YYYY-MM-DD)")

DEFAULT_DATA = ("official_stats.csv", "compiled_panels.csv", "plan_targets_published.csv")


def _setup() -> None:
    import czt

    czt.setup()


def default_data_files() -> list[Path]:
    """The official statistics shipped inside the package (copied from the data set)."""
    base = resources.files("czt") / "data"
    return [Path(str(base / name)) for name in DEFAULT_DATA]


@click.command()
@click.option("--no-data", is_flag=True, help="只建库和参考数据 / schema and reference only")
@LANG
def init(no_data: bool, lang: str) -> None:
    """建库、载入参考数据与默认统计数据 (可重复执行) / create the database and load data."""
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from czt.ingest.load import ingest_files
    from czt.messages import ValidationFailed
    from czt.store.sync import sync_reference

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    counts = sync_reference()
    click.echo(("参考数据: " if lang == "zh" else "reference data: ") + ", ".join(
        f"{k} {v}" for k, v in counts.items()))
    from czt.web.ledger.seed import seed_ledger

    seeded = seed_ledger()
    click.echo(("台账: 新增任务 {tasks} 项, 里程碑 {milestones} 个" if lang == "zh" else
                "ledger: {tasks} tasks and {milestones} milestones added").format(**seeded))
    if no_data:
        return
    try:
        report = ingest_files(default_data_files(), user="czt init")
    except ValidationFailed as exc:
        raise click.ClickException(exc.render(lang)) from exc
    _print_report(report, lang)


def _print_report(report, lang: str) -> None:
    if lang == "en":
        click.echo(f"imported {len(report.files)} file(s), {report.rows} rows: "
                   f"{report.created} new, {report.new_vintages} new vintages, "
                   f"{report.unchanged} unchanged; targets {report.targets_created} new, "
                   f"{report.targets_confirmed} confirmed")
    else:
        click.echo(f"导入 {len(report.files)} 个文件 {report.rows} 行: 新增 {report.created}, "
                   f"新版本 {report.new_vintages}, 未变 {report.unchanged}; "
                   f"目标 新增 {report.targets_created}, 已有并核对 {report.targets_confirmed}")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--user", default="", help="导入人 / who imports")
@LANG
def ingest(files: tuple[str, ...], user: str, lang: str) -> None:
    """导入 CSV/XLSX 统计数据 (全部成功或全部不写入) / import CSV or XLSX, all or nothing."""
    _setup()
    from czt.ingest.load import ingest_files
    from czt.messages import ValidationFailed

    try:
        report = ingest_files(list(files), user=user)
    except ValidationFailed as exc:
        head = ("导入失败, 未写入任何数据:" if lang == "zh"
                else "import failed, nothing was written:")
        raise click.ClickException(head + "\n" + exc.render(lang)) from exc
    _print_report(report, lang)


SCOREBOARD_HEADERS = {
    "zh": {"area_name": "领域", "indicator_name": "指标", "region_name": "地区",
           "target_text": "目标",
           "base_text": "基期值", "latest_text": "最新值(年份)", "status_label": "状态",
           "ratio": "R", "projected": "目标年预测", "note": "来源 / 说明"},
    "en": {"area_name": "Area", "indicator_name": "Indicator", "region_name": "Region",
           "target_text": "Target", "base_text": "Base", "latest_text": "Latest (year)",
           "status_label": "Status", "ratio": "R", "projected": "Projected",
           "note": "Source / note"},
}


def scoreboard_table(frame, lang: str):
    """Add the human-readable columns the printed scoreboard shows."""
    from czt.commands.render import number

    ops = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈"}
    f = frame.copy()
    f["target_text"] = [f"{ops[o]}{number(v)} {u} ({y})" for o, v, u, y in
                        zip(f["operator"], f["target_value"], f["unit"], f["target_year"],
                            strict=True)]
    f["base_text"] = [f"{number(v)} ({y})" if v == v and v is not None else f"— ({y})"
                      for v, y in zip(f["base_value"], f["base_year"], strict=True)]
    f["latest_text"] = [
        "—" if v is None or v != v else
        f"{number(v)} ({int(y)}){'*' if k == 'derived' else ''}{'!' if c else ''}"
        for v, y, k, c in zip(f["value"], f["year"], f["value_kind"], f["conflict"], strict=True)]
    f["note"] = [(r or s or "")[:60] for r, s in zip(f["reason"], f["source_title"],
                                                           strict=True)]
    return f


@click.command()
@click.option("--plan", default=None, help="规划编号 / plan id, e.g. CZT-5Y-2021")
@click.option("--region", default=None, help="地区代码 / region code, e.g. CZT, 430300")
@AS_OF
@FORMAT
@LANG
def progress(plan, region, as_of, fmt, lang) -> None:
    """2025 目标监测记分牌 / target scoreboard (CAGR-ratio method)."""
    _setup()
    from czt.commands.render import emit
    from czt.monitoring import scoreboard

    frame = scoreboard(plan=plan, region=region, as_of=as_of.date() if as_of else None,
                       lang=lang)
    if fmt != "table":
        emit(frame, fmt)
        return
    emit(scoreboard_table(frame, lang), fmt, SCOREBOARD_HEADERS[lang])
    counts = frame["status_label"].value_counts()
    click.echo("\n" + ("合计: " if lang == "zh" else "Total: ")
               + ", ".join(f"{k} {v}" for k, v in counts.items()))
    click.echo("* 按指标规则由三市汇总  ! 多个来源数值不一致" if lang == "zh" else
               "* derived from the three cities by the indicator's rule  ! sources disagree")


@click.command()
@click.option("--plan", default=None, help="规划编号 / plan id")
@AS_OF
@FORMAT
@LANG
def coverage(plan, as_of, fmt, lang) -> None:
    """目标所需但未报送的数据 (按地区) / cells the targets need that nobody reported."""
    _setup()
    from czt.commands.render import emit
    from czt.monitoring import coverage as compute

    frame = compute(plan=plan, as_of=as_of.date() if as_of else None, lang=lang)
    if fmt != "table":
        emit(frame, fmt)
        return
    if frame.empty:
        click.echo("目标所需数据齐全" if lang == "zh" else "every cell the targets need is present")
        return
    summary = (frame.groupby(["region", "region_name"]).agg(
        missing=("year", "size"),
        indicators=("indicator_name", lambda s: "、".join(sorted(set(s)))))
        .reset_index())
    heads = ({"region": "地区代码", "region_name": "地区", "missing": "缺报单元数",
              "indicators": "缺报指标"} if lang == "zh" else
             {"region": "Code", "region_name": "Region", "missing": "Missing cells",
              "indicators": "Indicators"})
    emit(summary, "table", heads)


@click.command()
@click.argument("indicator")
@click.option("--region", default="CZT", show_default=True)
@AS_OF
@FORMAT
def totals(indicator, region, as_of, fmt) -> None:
    """合计值: 发布值与按规则汇总值及其差 / published vs derived totals."""
    _setup()
    from czt.commands.render import emit
    from czt.monitoring import totals as compute

    emit(compute(indicator, region, as_of=as_of.date() if as_of else None), fmt)


COMMANDS = [init, ingest, progress, coverage, totals]
