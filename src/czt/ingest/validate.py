"""Check every row of an import and turn it into clean, typed records.

All checks run over whole columns (one dictionary look-up per distinct value), because a
provincial upload can hold a million rows; the slow, forgiving number parser only sees the
values a plain float parse rejects. Every problem is collected, none stops the scan, so a
reporter fixes a file in one round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from czt.ingest.values import FLAG_OF, parse_value
from czt.messages import Problem
from czt.units import conversion_factor, factor_with_multiplier, normalise_unit

_PUBLISHED_IN_TITLE = re.compile(r"发布\s*(\d{4}-\d{2}-\d{2})")
TARGET_PREFIX = "target_"


@dataclass
class Catalogue:
    """What validation needs to know, as plain dictionaries (built from the store)."""

    region_codes: dict[str, str]  # any known code (incl. historical) -> current code
    region_names: dict[str, str]  # name_zh (with and without suffix) -> current code
    indicators: dict[str, dict]  # code -> {unit, min, max, polarity}
    indicator_names: dict[str, str]  # alias / Chinese name -> code
    alias_measure: dict[str, str] = field(default_factory=dict)  # alias -> measure
    plans: list[dict] = field(default_factory=list)  # {id, keywords, base_year, target_year}


@dataclass
class Checked:
    observations: pd.DataFrame
    targets: pd.DataFrame
    problems: list[Problem]


def _blank(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip() == ""


def _resolve_regions(df: pd.DataFrame, cat: Catalogue) -> pd.Series:
    codes = df["region_code"].str.strip() if "region_code" in df else pd.Series("", df.index)
    by_code = codes.map(cat.region_codes)
    if "region_name" in df:
        by_name = df["region_name"].str.strip().map(cat.region_names)
        by_code = by_code.where(by_code.notna() | (codes != ""), by_name)
    return by_code


def _resolve_indicators(raw: pd.Series, cat: Catalogue) -> tuple[pd.Series, pd.Series]:
    stripped = raw.str.strip().str.removeprefix(TARGET_PREFIX)
    code = stripped.where(stripped.isin(cat.indicators.keys()), stripped.map(cat.indicator_names))
    measure = stripped.map(cat.alias_measure).fillna("level")
    return code, measure


def _parse_values(raw: pd.Series) -> pd.DataFrame:
    """value, comparator, multiplier for each row; NaN value where no number is found."""
    fast = pd.to_numeric(raw, errors="coerce")
    out = pd.DataFrame({"value": fast, "comparator": "", "multiplier": ""}, index=raw.index)
    slow = raw[fast.isna()]
    if len(slow):
        parsed = {v: parse_value(v) for v in slow.unique()}
        out.loc[slow.index, "value"] = slow.map(lambda v: parsed[v].value if parsed[v] else np.nan)
        out.loc[slow.index, "comparator"] = slow.map(
            lambda v: parsed[v].comparator if parsed[v] else "")
        out.loc[slow.index, "multiplier"] = slow.map(
            lambda v: parsed[v].multiplier if parsed[v] else "")
    return out


def _plan_for(title: str, cat: Catalogue) -> dict | None:
    for plan in cat.plans:
        if any(k and k in title for k in plan["keywords"].split()):
            return plan
    return None


def check(df: pd.DataFrame, cat: Catalogue, file: str) -> Checked:
    """Validate one file's rows. Row numbers are spreadsheet rows (header = row 1)."""
    problems: list[Problem] = []
    row_no = pd.Series(np.arange(len(df)) + 2, index=df.index)

    def flag(mask: pd.Series, column: str, code: str, **params_from: pd.Series) -> None:
        for idx in mask[mask].index:
            params = {k: v.loc[idx] for k, v in params_from.items()}
            problems.append(Problem(file, int(row_no.loc[idx]), column, code, params))

    required = ["indicator", "year", "value", "unit"]
    missing = [c for c in required if c not in df] + (
        [] if ("region_code" in df or "region_name" in df) else ["region_code"])
    if missing:
        return Checked(pd.DataFrame(), pd.DataFrame(),
                       [Problem(file, None, c, "missing_column", {"value": c}) for c in missing])
    if df.empty:
        return Checked(pd.DataFrame(), pd.DataFrame(), [Problem(file, None, None, "empty_file")])
    for col in ("source_url", "source_title", "snippet", "published", "region_code",
                "region_name"):
        if col not in df:
            df[col] = ""
    df = df.fillna("")

    region = _resolve_regions(df, cat)
    region_col = "region_code" if (df["region_code"] != "").any() else "region_name"
    shown_region = df["region_code"].where(df["region_code"] != "", df["region_name"])
    flag(region.isna(), region_col, "unknown_region", value=shown_region)

    indicator, measure = _resolve_indicators(df["indicator"], cat)
    flag(indicator.isna(), "indicator", "unknown_indicator", value=df["indicator"])
    is_target = df["indicator"].str.strip().str.startswith(TARGET_PREFIX)

    year = pd.to_numeric(df["year"].str.strip(), errors="coerce")
    bad_year = year.isna() | (year % 1 != 0) | (year < 1949) | (year > 2100)
    flag(bad_year, "year", "bad_year", value=df["year"])

    parsed = _parse_values(df["value"])
    no_number = parsed["value"].isna()
    flag(no_number & _blank(df["value"]), "value", "missing_value")
    flag(no_number & ~_blank(df["value"]), "value", "not_numeric", value=df["value"])

    units = df["unit"].map({u: normalise_unit(u) for u in df["unit"].unique()})
    target_unit = indicator.map({c: v["unit"] for c, v in cat.indicators.items()}).fillna("")
    combos = pd.DataFrame({"m": parsed["multiplier"], "u": units, "t": target_unit})
    factors = {}
    for m, u, t in combos.drop_duplicates().itertuples(index=False):
        if not t:
            continue
        factors[(m, u, t)] = (factor_with_multiplier(m, u, t) if m
                              else conversion_factor(u, t) if u else None)
    keys = zip(*(combos[c].tolist() for c in combos.columns), strict=True)
    factor = pd.Series([factors.get(k) for k in keys], index=df.index, dtype="float64")
    known_ind = indicator.notna()
    flag(known_ind & factor.isna() & _blank(df["unit"]) & (parsed["multiplier"] == ""),
         "unit", "missing_value")
    flag(known_ind & factor.isna() & ~(_blank(df["unit"]) & (parsed["multiplier"] == "")),
         "unit", "bad_unit", value=df["unit"], expected=target_unit)
    value = parsed["value"] * factor

    low = indicator.map({c: v["min"] for c, v in cat.indicators.items()}).astype("float64")
    high = indicator.map({c: v["max"] for c, v in cat.indicators.items()}).astype("float64")
    implausible = value.notna() & ~is_target & (
        (low.notna() & (value < low)) | (high.notna() & (value > high)))
    flag(implausible, "value", "implausible", value=value.round(6), low=low, high=high,
         unit=target_unit)

    no_source = _blank(df["source_url"]) & _blank(df["source_title"])
    flag(no_source, "source_url", "missing_source")

    published = df["published"].str.strip()
    from_title = df["source_title"].str.extract(_PUBLISHED_IN_TITLE)[0].fillna("")
    published = published.where(published != "", from_title)
    published_date = pd.to_datetime(published.where(published != ""), errors="coerce",
                                    format="%Y-%m-%d")
    flag((published != "") & published_date.isna(), "published", "bad_date", value=published)

    key = pd.DataFrame({"r": region, "i": indicator, "m": measure, "y": year,
                        "u": df["source_url"].str.strip(), "t": df["source_title"].str.strip()})
    dup = key.duplicated(keep=False) & region.notna() & indicator.notna()
    if dup.any():
        first_row = row_no.groupby([key[c] for c in key.columns], dropna=False).transform("min")
        flag(dup & (row_no != first_row), "indicator", "duplicate_row", other=first_row)

    plan = pd.Series([None] * len(df), index=df.index, dtype=object)
    if is_target.any():
        plan.loc[is_target] = df.loc[is_target, "source_title"].map(lambda t: _plan_for(t, cat))
        flag(is_target & plan.isna(), "source_title", "unknown_plan")

    clean = pd.DataFrame({
        "row": row_no, "region": region, "indicator": indicator, "measure": measure,
        "year": year, "value": value, "comparator": parsed["comparator"],
        "original_value": df["value"].str.strip(), "original_unit": df["unit"].str.strip(),
        "source_url": df["source_url"].str.strip(), "source_title": df["source_title"].str.strip(),
        "snippet": df["snippet"], "published": published_date.dt.date,
        "recoded": df["region_code"].str.strip().ne(region) & df["region_code"].ne(""),
    })
    clean["flags"] = clean["comparator"].map(FLAG_OF).fillna("")
    clean.loc[clean["recoded"], "flags"] = (clean["flags"] + ",recoded").str.strip(",")
    if problems:
        return Checked(pd.DataFrame(), pd.DataFrame(), problems)
    clean["year"] = clean["year"].astype(int)
    targets = clean[is_target].copy()
    targets["plan"] = plan[is_target]
    return Checked(clean[~is_target], targets, problems)
