"""User-facing messages in Chinese (default) and English.

Errors are data (a code and parameters) until they are shown, so the CLI, the web page and
tests can each render them in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_region": ("未知地区「{value}」", "unknown region '{value}'"),
    "unknown_indicator": ("未知指标「{value}」", "unknown indicator '{value}'"),
    "bad_unit": ("单位「{value}」无法换算为指标单位「{expected}」",
                 "unit '{value}' cannot be converted to the indicator's unit '{expected}'"),
    "not_numeric": ("数值「{value}」不是数字", "value '{value}' is not a number"),
    "duplicate_row": ("与第 {other} 行重复 (同一地区、指标、年份、来源)",
                      "duplicates row {other} (same region, indicator, year and source)"),
    "implausible": ("数值 {value} 超出该指标的合理范围 [{low}, {high}] {unit}",
                    "value {value} is outside the plausible range [{low}, {high}] {unit}"),
    "missing_source": ("缺少来源 (source_url 或 source_title 为空)",
                       "missing source (source_url or source_title is empty)"),
    "missing_value": ("必填项为空", "required field is empty"),
    "bad_year": ("年份「{value}」无效", "year '{value}' is not valid"),
    "bad_date": ("日期「{value}」无效, 应为 YYYY-MM-DD", "date '{value}' is not YYYY-MM-DD"),
    "missing_column": ("缺少列「{value}」", "missing column '{value}'"),
    "unreadable": ("无法读取文件: {value}", "cannot read the file: {value}"),
    "bad_encoding": ("无法识别文件编码 (支持 UTF-8、UTF-8 BOM、GBK)",
                     "cannot decode the file (UTF-8, UTF-8 with BOM and GBK are supported)"),
    "unknown_plan": ("无法判断目标所属规划 (来源标题未包含已登记规划的关键词)",
                     "cannot tell which plan the target belongs to from the source title"),
    "bad_choice": ("「{value}」不是允许的取值 ({allowed})", "'{value}' is not one of {allowed}"),
    "bad_reference": ("「{value}」引用了不存在的 {what}", "'{value}' refers to an unknown {what}"),
    "empty_file": ("文件没有数据行", "the file has no data rows"),
    "not_your_region": ("无权填报「{value}」的数据 (您的填报范围: {scope})",
                        "you may not report figures for '{value}' (your scope: {scope})"),
    "not_your_indicator": ("无权填报指标「{value}」(您的填报范围: {scope})",
                           "you may not report the indicator '{value}' (your scope: {scope})"),
    "targets_admin_only": ("只有省级管理员可以导入规划目标",
                           "only a province administrator may import plan targets"),
    "too_large": ("文件超过 {value} MB 上限", "the file is larger than the {value} MB limit"),
    "bad_extension": ("只接受 .csv 和 .xlsx 文件", "only .csv and .xlsx files are accepted"),
    "xlsx_only": ("只接受 .xlsx 文件 (请使用平台导出的模板)",
                  "only .xlsx files are accepted (use the template the platform exports)"),
    "missing_sheet": ("缺少工作表「{value}」", "missing sheet '{value}'"),
    "out_of_range": ("「{value}」应为 {low} 至 {high} 之间的整数",
                     "'{value}' should be a whole number from {low} to {high}"),
    "bad_period": ("报告期「{value}」无效, 应写成 2026Q3 这样的季度",
                   "period '{value}' is not a quarter such as 2026Q3"),
    "duplicate_key": ("与第 {other} 行重复", "repeats row {other}"),
    "not_your_task": ("无权填报任务「{value}」(只有牵头单位可以报送进展)",
                      "you may not report on task '{value}' (only its lead unit reports)"),
    "refused": ("{value}", "{value}"),
    "bad_code": ("代码「{value}」格式不对 (应为 {expected})",
                 "code '{value}' is not in the expected form ({expected})"),
    "no_milestone": ("任务「{value}」没有任何里程碑", "task '{value}' has no milestone"),
    "line_too_short": ("线状位置至少需要两个地区 (按线路顺序)",
                       "a line needs at least two regions, in route order"),
}

COLUMN_NAMES_ZH = {
    "region_code": "地区代码", "region_name": "地区名称", "indicator": "指标", "year": "年份",
    "value": "数值", "unit": "单位", "source_url": "来源链接", "source_title": "来源标题",
    "snippet": "原文摘录", "published": "发布日期",
}


def render(code: str, lang: str = "zh", **params: object) -> str:
    zh, en = MESSAGES[code]
    return (en if lang == "en" else zh).format(**params)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell of one file."""

    file: str
    row: int | None
    column: str | None
    code: str
    params: dict = field(default_factory=dict)

    def reason(self, lang: str = "zh") -> str:
        return render(self.code, lang, **self.params)

    def render(self, lang: str = "zh") -> str:
        where = [self.file]
        if lang == "en":
            if self.row is not None:
                where.append(f"row {self.row}")
            if self.column:
                where.append(f"column {self.column}")
        else:
            if self.row is not None:
                where.append(f"第 {self.row} 行")
            if self.column:
                where.append(f"列 {self.column}")
        return ", ".join(where) + ": " + self.reason(lang)

    def as_dict(self, lang: str = "zh") -> dict:
        label = COLUMN_NAMES_ZH.get(self.column, self.column) if lang != "en" else self.column
        return {"file": self.file, "row": self.row, "column": self.column,
                "column_label": label, "code": self.code, "reason": self.reason(lang)}


class ValidationFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh", limit: int = 50) -> str:
        lines = [p.render(lang) for p in self.problems[:limit]]
        more = len(self.problems) - limit
        if more > 0:
            lines.append(f"… 另有 {more} 处问题" if lang != "en" else f"… and {more} more")
        return "\n".join(lines)
