"""The area's headline figures: latest totals from the store, and the shares quoted in the
provincial press release (seed 001), which no statistical table in the data set carries."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.db.models import Max

from czt.monitoring import region_series
from czt.store.models import Indicator, Observation


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: float
    unit: str
    year: int | None
    source_title: str
    sentence: str
    derived: bool = False


@cache
def _quoted() -> tuple[dict, ...]:
    text = resources.files("czt.reference").joinpath("headlines.csv").read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def quoted(lang: str) -> list[Headline]:
    return [Headline(r["key"], r["label_en"] if lang == "en" else r["label_zh"],
                     float(r["value"]), r["unit"], int(r["year"]) if r["year"] else None,
                     r["source_title"], r["sentence"]) for r in _quoted()]


def latest_total(indicator: str, label: str, lang: str) -> Headline | None:
    """Latest year of the three-city total: published where the source gives it, else summed."""
    frame = region_series(indicator, "CZT").frame
    frame = frame[frame["value"].notna()]
    if frame.empty:
        return None
    last = frame.iloc[-1]
    derived = last["kind"] == "derived"
    source = last["source_title"] if isinstance(last["source_title"], str) else ""
    if derived:
        source = "按指标规则由三市汇总" if lang != "en" else "summed from the three cities"
    unit = Indicator.objects.get(code=indicator).unit
    return Headline(indicator, label, float(last["value"]), unit, int(last["year"]), source,
                    "", derived)


def latest_data_date():
    """The newest statistical year in the store and when figures were last recorded."""
    return Observation.objects.aggregate(year=Max("year"), recorded=Max("recorded_at"))
