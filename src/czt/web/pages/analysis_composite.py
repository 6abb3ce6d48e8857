"""The composite-index section of the integration-analysis page (一体化分析): the shipped
framework (the plan's action areas) on the three cities, with rank intervals and Sobol indices.

Why its own module: choosing which years and indicators the real data support is a rule the
page must state, and the result carries several tables and charts. The rule:

* indicators: the shipped framework's (``czt/reference/composite_framework.yaml``), each
  reported by all three cities in every year of the block (nothing is imputed: the page shows
  official figures, not estimates) and not constant over the block;
* years: the run of consecutive years with the most city-year-indicator cells (years ×
  indicators), at least ``MIN_INDICATORS`` indicators; on a tie the later run;
* method: min-max over the pooled city-years (scores compare across years), equal weights
  within and across action areas, arithmetic aggregation; ``RUNS`` Monte Carlo replications
  and Sobol indices from ``SOBOL_N`` base samples, seed ``SEED``.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from czt.methods.composite import composite_index
from czt.methods.composite_framework import Framework, default_framework
from czt.methods.errors import MethodInputError
from czt.web.pages.analysis_inputs import cells
from czt.web.pages.context import CITIES

MIN_INDICATORS = 3
RUNS = 1000
SOBOL_N = 256
SEED = 2025


def composite_block(fw: Framework) -> tuple[list[int], list[str], pd.DataFrame]:
    """The years and indicators chosen by the rule above, and the long frame (index city,
    columns year + indicators)."""
    c = cells(fw.columns, CITIES)
    if c.empty:
        return [], [], pd.DataFrame()
    counts = c.groupby(["indicator", "year"])["region"].nunique().unstack(fill_value=0)
    years = sorted(int(y) for y in counts.columns)
    best: tuple[int, int, list[int], list[str]] | None = None
    for i in range(len(years)):
        for j in range(i, len(years)):
            run = years[i : j + 1]
            if run != list(range(run[0], run[-1] + 1)):
                break
            cols = [code for code in fw.columns if code in counts.index
                    and all(counts.at[code, y] == len(CITIES) for y in run)]
            cols = [code for code in cols if c[(c["indicator"] == code)
                                                & c["year"].isin(run)]["value"].nunique() > 1]
            if len(cols) < MIN_INDICATORS:
                continue
            key = (len(run) * len(cols), run[-1])
            if best is None or key > best[:2]:
                best = (*key, run, cols)
    if best is None:
        return [], [], pd.DataFrame()
    run, cols = best[2], best[3]
    own = c[c["indicator"].isin(cols) & c["year"].isin(run)]
    frame = own.pivot_table(index=["region", "year"], columns="indicator", values="value")
    frame = frame.reindex(pd.MultiIndex.from_product([CITIES, run]))[cols].reset_index(level=1)
    frame.index.name = "code"
    frame = frame.rename(columns={frame.columns[0]: "year"})
    return run, cols, frame


def composite_section(lang: str, names: dict[str, str]) -> dict:
    """Scores, ranks and rank intervals per city and year, dimension scores, weights, Sobol
    indices, the indicators left out and why; chart data in the reader's language."""
    fw = default_framework()
    years, cols, frame = composite_block(fw)
    label = {i.column: (i.name_en if lang == "en" else i.name_zh) or i.column
             for i in fw.indicators}
    out: dict = {"years": years, "runs": RUNS, "sobol_n": SOBOL_N, "seed": SEED,
                 "n_framework": len(fw.indicators),
                 "left_out": [label[c] for c in fw.columns if c not in cols]}
    if not years:
        return out
    used = fw.restrict(cols)
    try:
        r = composite_index(frame, framework=used, year="year", runs=RUNS, sobol=SOBOL_N,
                            seed=SEED)
    except MethodInputError as exc:
        out["error"] = exc.message(lang)
        return out
    dim_name = {d.code: d.name_en if lang == "en" else d.name_zh for d in used.dimensions}
    rows = []
    for (code, row), (_unit, dims) in zip(r.table.iterrows(), r.dimensions.iterrows(),
                                          strict=True):
        rows.append({"code": code, "name": names[code], "year": int(row["year"]),
                     "score": float(row["score"]), "rank": int(row["rank"]),
                     "median": float(row["rank_median"]), "p05": int(row["rank_p05"]),
                     "p95": int(row["rank_p95"]),
                     "dimensions": [float(dims[d.code]) for d in used.dimensions]})
    indicators = [{"name": label[i.column], "dimension": dim_name[i.dimension],
                   "direction": i.direction,
                   "weight": float(r.indicators.at[i.column, "weight"])}
                  for i in used.indicators]
    sens = [{"factor": s["name_en"] if lang == "en" else s["name_zh"], "options": s["options"],
             "S1": float(s["S1"]), "S1_conf": float(s["S1_conf"]), "ST": float(s["ST"]),
             "ST_conf": float(s["ST_conf"])} for s in r.sensitivity.to_dict("records")]
    out.update(
        rows=rows, indicators=indicators, sensitivity=sens,
        dimensions=[dim_name[d.code] for d in used.dimensions],
        sobol_runs=r.settings["sobol_runs"], mean_shift=r.settings["sobol_mean_rank_shift"],
        chart={
            "years": years,
            "series": [{"name": names[c], "scores": [x["score"] for x in rows if x["code"] == c]}
                       for c in CITIES],
            "factors": [s["factor"] for s in sens],
            "S1": [s["S1"] for s in sens], "ST": [s["ST"] for s in sens],
            "labels": {"score": _("Composite score (0–100)"), "S1": _("First-order index S1"),
                       "ST": _("Total index ST")},
        },
    )
    return out
