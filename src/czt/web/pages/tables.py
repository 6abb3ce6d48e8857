"""Observation tables for pages and downloads: one frame, rendered as HTML, CSV or XLSX."""

from __future__ import annotations

import io

import pandas as pd
from django.http import HttpResponse

from czt.store.models import Region
from czt.store.queries import observations, resolve_cells

# (column, Chinese header, English header) of the published table and its downloads
COLUMNS = [
    ("region", "地区代码", "region code"), ("region_name", "地区", "region"),
    ("year", "年份", "year"), ("value", "数值", "value"), ("unit", "单位", "unit"),
    ("flags", "标记", "flags"), ("comparator", "比较符", "comparator"),
    ("conflict", "来源间不一致", "sources disagree"),
    ("alternatives_text", "其他来源的数值", "other sources' values"),
    ("source_title", "来源", "source"), ("source_url", "来源链接", "source link"),
    ("published", "发布日期", "published"), ("vintage", "版本", "vintage"),
]


def _alternatives(alts) -> str:
    if not isinstance(alts, list):
        return ""
    return "; ".join(f"{a['value']:g} ({a['source_title']})" for a in alts)


def indicator_table(code: str, lang: str) -> pd.DataFrame:
    """Every region's value of one indicator per year, one row per cell, conflicts marked."""
    cells = resolve_cells(observations(indicators=[code]))
    names = dict(Region.objects.values_list("code", "name_en" if lang == "en" else "name_zh"))
    if cells.empty:
        return pd.DataFrame(columns=[c for c, _, _ in COLUMNS])
    cells = cells.assign(region_name=cells["region"].map(names),
                         alternatives_text=cells["alternatives"].map(_alternatives))
    return cells[[c for c, _, _ in COLUMNS]].sort_values(["region", "year"])


def vintages(code: str, lang: str) -> pd.DataFrame:
    """What was published when: every vintage of every source, newest first."""
    frame = observations(indicators=[code], all_vintages=True)
    names = dict(Region.objects.values_list("code", "name_en" if lang == "en" else "name_zh"))
    frame = frame.assign(region_name=frame["region"].map(names))
    return frame.sort_values(["recorded_at", "region", "year"], ascending=[False, True, True])


def headers(lang: str) -> dict[str, str]:
    return {c: (en if lang == "en" else zh) for c, zh, en in COLUMNS}


def download(frame: pd.DataFrame, fmt: str, filename: str, lang: str) -> HttpResponse:
    """CSV (UTF-8 with BOM, so Excel opens Chinese correctly) or XLSX, headers in ``lang``."""
    out = frame.rename(columns=headers(lang))
    if fmt == "xlsx":
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xw:
            out.to_excel(xw, index=False, sheet_name="data")
        resp = HttpResponse(buf.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        resp = HttpResponse(out.to_csv(index=False).encode("utf-8-sig"),
                            content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp
