"""The ledger's Excel template: one sheet per table, Chinese headers, read back with every
problem named by file, row and column.

Why a template rather than free-form sheets: the task force exchanges the 台账 with cities
and departments as workbooks; the same columns going out and coming in make the round trip
exact, and a header in Chinese or English is accepted so an English export re-imports too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from czt.messages import Problem


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False
    width: int = 14


TASKS_SHEET = ("任务清单", "Tasks")
MILESTONES_SHEET = ("里程碑", "Milestones")
REPORTS_SHEET = ("进展报告", "Progress reports")

TASK_COLUMNS = [
    Column("id", "任务编号", "Task id", True, 10),
    Column("title_zh", "任务名称", "Title", True, 36),
    Column("title_en", "英文名称", "Title (English)", False, 30),
    Column("area", "行动领域", "Action area", True, 12),
    Column("plan", "来源规划", "Plan", False, 16),
    Column("lead", "牵头单位", "Lead unit", False, 18),
    Column("co_units", "配合单位", "Co-operating units", False, 24),
    Column("indicators", "关联指标", "Indicators", False, 24),
    Column("location_kind", "位置类型", "Location kind", False, 10),
    Column("location_regions", "位置区划代码", "Location (region codes)", False, 22),
    Column("note", "备注", "Note", False, 24),
    Column("source_seed", "来源文件", "Source document", False, 10),
    Column("source_sentence", "来源原文", "Source sentence", False, 50),
]
MILESTONE_COLUMNS = [
    Column("task", "任务编号", "Task id", True, 10),
    Column("seq", "序号", "No.", True, 6),
    Column("title_zh", "里程碑", "Milestone", True, 36),
    Column("due", "计划完成日期", "Due", False, 14),
    Column("due_text", "原文时限", "Due as written", False, 16),
    Column("done_on", "实际完成日期", "Reached on", False, 14),
    Column("evidence", "完成依据", "Evidence", False, 40),
]
REPORT_COLUMNS = [
    Column("task", "任务编号", "Task id", True, 10),
    Column("period", "报告期", "Quarter", True, 10),
    Column("text", "进展情况", "Progress", True, 50),
    Column("percent", "完成百分比", "% complete", True, 10),
    Column("milestone", "达成里程碑序号", "Milestone reached (No.)", False, 12),
    Column("reached_on", "达成日期", "Reached on", False, 14),
]
LIST_SEPARATOR = ";"


def write(sheets: list[tuple[str, list[Column], list[dict]]]) -> bytes:
    """A workbook with one sheet per (title, columns, rows); headers in Chinese."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append([c.zh for c in columns])
        for cell, col in zip(ws[1], columns, strict=True):
            cell.font = Font(bold=True, color="C00000" if col.required else "000000")
            cell.fill = PatternFill("solid", fgColor="EEF2F7")
            ws.column_dimensions[cell.column_letter].width = col.width
        for row in rows:
            ws.append([_cell(row.get(c.key)) for c in columns])
        for line in ws.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def read(data: bytes, file: str, sheet: tuple[str, str],
         columns: list[Column]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Rows of one sheet as (row number, {key: text}) with the header's own names kept for
    messages; problems for an unreadable file, a missing sheet or a missing column."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        return [], [Problem(file, None, None, "unreadable", {"value": type(exc).__name__})]
    name = next((n for n in wb.sheetnames if n.strip() in sheet), None)
    if name is None:
        return [], [Problem(file, None, None, "missing_sheet", {"value": sheet[0]})]
    lines = wb[name].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(lines, ())]
    index, problems = {}, []
    for col in columns:
        at = next((i for i, h in enumerate(header) if h in (col.zh, col.en, col.key)), None)
        if at is None:
            if col.required:
                problems.append(Problem(file, 1, None, "missing_column", {"value": col.zh}))
        else:
            index[col.key] = at
    rows = []
    for number, values in enumerate(lines, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((number, {key: _text(values[i]) if i < len(values) else ""
                              for key, i in index.items()}))
    return rows, problems


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def split(text: str) -> list[str]:
    """A list cell: items separated by ; (or the Chinese ；、, as people type them)."""
    for sep in ("；", "、", ","):
        text = text.replace(sep, LIST_SEPARATOR)
    return [t.strip() for t in text.split(LIST_SEPARATOR) if t.strip()]


def header_of(columns: list[Column], key: str) -> str:
    """The Chinese header of a column, for problem messages."""
    return next(c.zh for c in columns if c.key == key)
