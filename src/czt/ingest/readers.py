"""Read CSV (UTF-8, UTF-8 with BOM, GBK) and XLSX into a frame of strings with canonical
column names. Nothing is interpreted here: parsing and checks live in ``validate``."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from czt.messages import Problem, ValidationFailed

# canonical name -> accepted headers (compared after strip + lower-case)
HEADER_ALIASES: dict[str, list[str]] = {
    "region_code": ["region_code", "code", "地区代码", "行政区划代码", "区划代码", "代码"],
    "region_name": ["region_name", "region", "地区", "地区名称", "区域", "行政区"],
    "indicator": ["indicator", "indicator_code", "指标", "指标代码", "指标名称"],
    "year": ["year", "period", "年份", "年度", "时期"],
    "value": ["value", "数值", "值", "数据"],
    "unit": ["unit", "单位", "计量单位"],
    "source_url": ["source_url", "url", "来源链接", "来源网址", "链接"],
    "source_title": ["source_title", "source", "来源", "来源标题", "来源名称", "资料来源"],
    "snippet": ["snippet", "quote", "原文", "原文摘录", "摘录"],
    "published": ["published", "publication_date", "发布日期", "公布日期"],
}
_LOOKUP = {h.lower(): canon for canon, hs in HEADER_ALIASES.items() for h in hs}
ENCODINGS = ("utf-8-sig", "gbk")


def canonical_columns(columns: list[str]) -> dict[str, str]:
    """Map each recognised header to its canonical name (unknown headers are dropped)."""
    return {c: _LOOKUP[str(c).strip().lower()] for c in columns
            if str(c).strip().lower() in _LOOKUP}


def read_table(path: str | Path, display_name: str | None = None) -> pd.DataFrame:
    """Return the file's rows as strings, columns renamed to canonical names.

    ``display_name`` is the name used in error messages (an uploaded file's own name).
    """
    path = Path(path)
    name = display_name or path.name
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, engine="openpyxl", keep_default_na=False)
        else:
            raw = path.read_bytes()
            for enc in ENCODINGS:
                try:
                    text = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ValidationFailed([Problem(name, None, None, "bad_encoding")])
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                skipinitialspace=True)
    except ValidationFailed:
        raise
    except Exception as exc:  # a reader's own message is the most precise reason we have
        raise ValidationFailed([Problem(name, None, None, "unreadable", {"value": exc})]) from exc
    frame = frame.rename(columns=canonical_columns(list(frame.columns)))
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return frame
