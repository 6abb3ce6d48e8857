"""Target monitoring and data coverage: the store's values, the indicators' rules and the
progress method put together. Pages, API and CLI all call these functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from czt.methods.aggregate import Rule, derive_total
from czt.methods.progress import Progress, assess_average_growth, assess_level, status_of
from czt.store.models import Indicator, Region, Target
from czt.store.queries import observations, resolve_cells

REASONS = {
    "no_data": ("无数据", "no data"),
    "no_base": ("缺少基期 {base_year} 年数值", "no value for the base year {base_year}"),
    "no_data_after_base": ("基期 {base_year} 年之后无数据",
                           "no data after the base year {base_year}"),
    "missing_years": ("缺少 {years} 年数据", "missing years {years}"),
    "not_aggregable": ("该指标不能由三市数值汇总, 且无发布的合计值",
                       "the indicator cannot be derived from its parts and no total is published"),
    "missing_parts": ("缺少: {parts}", "missing: {parts}"),
    "target_year_pending": ("年度增速目标, 待目标年 {target_year} 年数据发布后评估",
                            "an annual growth target: assessed once {target_year} data are out"),
    "fell_below_target": ("基期已达到目标, 最新值已低于目标", "met at base, no longer met"),
}


def rule_for(ind: Indicator) -> Rule:
    return Rule(ind.code, ind.aggregation, ind.numerator_id, ind.denominator_id, ind.scale or 1.0)


def members_of(region: Region) -> list[str]:
    return sorted(region.members.values_list("code", flat=True))


@dataclass
class Series:
    """Year-by-year values of one indicator for one region, published and derived."""

    frame: pd.DataFrame  # year, value, kind (published|derived), published, derived, ...
    missing: dict[int, tuple]  # year -> missing (member, part) pairs


def region_series(indicator: str, region: str, *, as_of: date | None = None) -> Series:
    ind = Indicator.objects.get(code=indicator)
    reg = Region.objects.get(code=region)
    members = members_of(reg)
    rule = rule_for(ind)
    wanted = [indicator, *rule.parts()]
    obs = observations(indicators=wanted, regions=[region, *members], as_of=as_of)
    cells = resolve_cells(obs)
    own = cells[(cells["region"] == region) & (cells["indicator"] == indicator)]
    frame = own[["year", "value", "comparator", "flags", "source_title", "source_url",
                 "conflict", "alternatives", "n_sources"]].rename(columns={"value": "published"})
    missing: dict[int, tuple] = {}
    if members and ind.aggregation != "none":
        derived = derive_total(cells[["region", "indicator", "year", "value"]], rule, members)
        missing = {d.year: d.missing for d in derived if d.value is None}
        dframe = pd.DataFrame([(d.year, d.value) for d in derived if d.value is not None],
                              columns=["year", "derived"])
        frame = frame.merge(dframe, on="year", how="outer")
    else:
        frame = frame.assign(derived=float("nan"))
    frame = frame.sort_values("year").reset_index(drop=True)
    frame["value"] = frame["published"].where(frame["published"].notna(), frame["derived"])
    frame["kind"] = frame["published"].notna().map({True: "published", False: "derived"})
    frame["difference"] = frame["published"] - frame["derived"]
    frame["year"] = frame["year"].astype(int)
    return Series(frame, missing)


def totals(indicator: str, region: str = "CZT", *, as_of: date | None = None) -> pd.DataFrame:
    """Published vs derived total per year and their difference (e.g. 长株潭 GDP)."""
    s = region_series(indicator, region, as_of=as_of).frame
    return s[["year", "published", "derived", "difference", "source_title"]]


def _describe_missing(parts: tuple, lang: str) -> str:
    names = dict(Region.objects.values_list("code", "name_en" if lang == "en" else "name_zh"))
    inds = dict(Indicator.objects.values_list("code", "name_en" if lang == "en" else "name_zh"))
    return "; ".join(f"{names.get(m, m)} {inds.get(p, p)}" for m, p in parts)


def reason_text(code: str, lang: str, **params) -> str:
    key, _, rest = code.partition(":")
    if key == "missing_years":
        params["years"] = rest
    zh, en = REASONS[key]
    return (en if lang == "en" else zh).format(**params)


def assess_target(t: Target, *, as_of: date | None = None, lang: str = "zh") -> dict:
    ind = t.indicator
    s = region_series(ind.code, t.region_id, as_of=as_of)
    f = s.frame[s.frame["value"].notna() & (s.frame["year"] <= t.target_year)]
    row = {
        "target": t.id, "plan": t.plan_id, "area": ind.area_id,
        "area_name": ind.area.name_en if lang == "en" else ind.area.name_zh,
        "region": t.region_id,
        "region_name": t.region.name_en if lang == "en" else t.region.name_zh,
        "indicator": ind.code,
        "indicator_name": ind.name_en if lang == "en" else ind.name_zh,
        "operator": t.operator, "target_value": t.value, "unit": ind.unit,
        "measure": t.measure, "base_year": t.base_year, "target_year": t.target_year,
        "kind": t.kind, "sentence": t.sentence,
        "base_value": None, "year": None, "value": None, "value_kind": None, "flags": "",
        "source_title": None, "source_url": None, "conflict": False, "derived": None,
        "difference": None,
    }
    if t.measure == "level" and ind.kind == "growth":
        # a one-year growth target ("2025年增长6%左右") is judged on the target year alone
        at = f[f["year"] == t.target_year]
        if len(at):
            v = float(at["value"].iloc[0])
            p = assess_level(operator=t.operator, target=t.value, target_year=t.target_year,
                             base_value=None, base_year=t.base_year, value=v, year=t.target_year)
            if p.status != "achieved":
                p = Progress(status_of(v / t.value), v / t.value, method="target_year")
        else:
            p = Progress("insufficient", reason="target_year_pending")
        f = at
    elif t.measure == "average_growth":
        rates = dict(zip(f["year"], f["value"], strict=True))
        p = assess_average_growth(operator=t.operator, target=t.value,
                                  target_year=t.target_year, base_year=t.base_year, rates=rates)
    else:
        base = f[f["year"] == t.base_year]
        base_value = float(base["value"].iloc[0]) if len(base) else None
        if ind.kind == "cumulative_change" and base_value is None:
            base_value = 0.0  # "较2019年下降10%": the change since the base year is 0 there
        row["base_value"] = base_value
        last = f.iloc[-1] if len(f) else None
        p = assess_level(operator=t.operator, target=t.value, target_year=t.target_year,
                         base_value=base_value, base_year=t.base_year,
                         value=None if last is None else float(last["value"]),
                         year=None if last is None else int(last["year"]))
    if len(f):
        last = f.iloc[-1]
        row.update(year=int(last["year"]), value=float(last["value"]), value_kind=last["kind"],
                   flags=last["flags"] if isinstance(last["flags"], str) else "",
                   source_title=_str(last["source_title"]), source_url=_str(last["source_url"]),
                   conflict=last["conflict"] is True,
                   derived=_num(last["derived"]), difference=_num(last["difference"]))
        if row["source_title"] is None and last["kind"] == "derived":
            row["source_title"] = ("按指标规则由成员地区汇总" if lang != "en"
                                   else "derived from member regions by the indicator's rule")
    row.update(status=p.status, status_label=p.label(lang), ratio=p.ratio,
               actual_rate=p.actual_rate, required_rate=p.required_rate, projected=p.projected,
               distance_covered=p.distance_covered, needed_rate=p.needed_rate, method=p.method,
               reason=_reason(p, t, s, lang))
    return row


def _reason(p: Progress, t: Target, s: Series, lang: str) -> str:
    if p.status != "insufficient" and not p.reason:
        return ""
    params = {"base_year": t.base_year, "target_year": t.target_year}
    if p.reason in ("no_data", "no_base"):
        year = t.base_year if p.reason == "no_base" else None
        if t.indicator.aggregation == "none" and t.region.members.exists():
            return reason_text("not_aggregable", lang)
        gaps = s.missing.get(year) if year else next(iter(s.missing.values()), None)
        base = reason_text(p.reason, lang, **params)
        if gaps:
            return base + "; " + reason_text("missing_parts", lang,
                                             parts=_describe_missing(gaps, lang))
        return base
    return reason_text(p.reason, lang, **params)


def _str(v) -> str | None:
    return v if isinstance(v, str) and v else None


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def scoreboard(*, plan: str | None = None, region: str | None = None,
               as_of: date | None = None, lang: str = "zh") -> pd.DataFrame:
    """One row per target: latest value, its year and source, and the progress status."""
    qs = Target.objects.select_related("indicator", "indicator__area", "region", "plan")
    if plan:
        qs = qs.filter(plan_id=plan)
    if region:
        qs = qs.filter(region_id=region)
    rows = [assess_target(t, as_of=as_of, lang=lang) for t in qs.order_by(
        "plan_id", "indicator__area__order", "id")]
    return pd.DataFrame(rows)


def coverage(*, plan: str | None = None, as_of: date | None = None,
             lang: str = "zh") -> pd.DataFrame:
    """Cells (region × indicator × year) that the targets need and nobody has reported.

    A target on the three-city total needs each city's parts of the indicator's rule for
    every year from the base year to the latest complete year (the year before ``as_of``,
    capped at the target year); a non-aggregable indicator needs the total itself.
    """
    today = as_of or date.today()
    qs = Target.objects.select_related("indicator", "region")
    if plan:
        qs = qs.filter(plan_id=plan)
    needed: set[tuple[str, str, int, str]] = set()
    for t in qs:
        ind = t.indicator
        last = min(t.target_year, today.year - 1)
        members = members_of(t.region)
        parts = rule_for(ind).parts()
        for year in range(t.base_year if t.measure == "level" else t.base_year + 1, last + 1):
            if members and parts:
                needed.update((m, p, year, t.id) for m in members for p in parts)
            else:
                needed.add((t.region_id, ind.code, year, t.id))
    if not needed:
        return pd.DataFrame(columns=["region", "region_name", "indicator", "indicator_name",
                                     "year", "targets"])
    have = observations(regions=sorted({n[0] for n in needed}),
                        indicators=sorted({n[1] for n in needed}), as_of=as_of)
    present = set(zip(have["region"], have["indicator"], have["year"], strict=True))
    missing: dict[tuple[str, str, int], set[str]] = {}
    for region, indicator, year, target in needed:
        if (region, indicator, year) not in present:
            missing.setdefault((region, indicator, year), set()).add(target)
    names = dict(Region.objects.values_list("code", "name_en" if lang == "en" else "name_zh"))
    inds = dict(Indicator.objects.values_list("code", "name_en" if lang == "en" else "name_zh"))
    rows = [{"region": r, "region_name": names.get(r, r), "indicator": i,
             "indicator_name": inds.get(i, i), "year": y, "targets": ",".join(sorted(ts))}
            for (r, i, y), ts in missing.items()]
    return pd.DataFrame(rows).sort_values(["region", "indicator", "year"]).reset_index(drop=True)
