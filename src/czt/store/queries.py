"""Read observations back: every vintage, the latest, or as published on a date; and the
one value per cell that calculations use, with conflicts between sources kept visible."""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
from django.db.models import Q
from django.utils import timezone

from czt.store.models import Observation

COLUMNS = ["region", "indicator", "year", "value", "unit", "comparator", "flags",
           "original_value", "source_url", "source_title", "snippet", "published",
           "recorded_at", "vintage"]
CELL = ["region", "indicator", "year"]
# Titles of pages that are not the publisher's own (see the data README)
SECONDARY_MARKERS = ("(secondary", "(mirror", "(copy", "(repost", "(compiled", "(澎湃新闻 repost")


def observations(*, indicators: list[str] | None = None, regions: list[str] | None = None,
                 years: tuple[int, int] | None = None, as_of: date | None = None,
                 all_vintages: bool = False) -> pd.DataFrame:
    """Observations, one row per cell and source (its latest vintage), unless all_vintages.

    ``as_of``: only what had been published by the end of that day (publication date when
    the source gives one, otherwise the day the platform recorded it).
    """
    qs = Observation.objects.all()
    if indicators:
        qs = qs.filter(indicator_id__in=indicators)
    if regions:
        qs = qs.filter(region_id__in=regions)
    if years:
        qs = qs.filter(year__gte=years[0], year__lte=years[1])
    if as_of:
        end = timezone.make_aware(datetime.combine(as_of, time.max))
        qs = qs.filter(Q(published__lte=as_of) | Q(published__isnull=True, recorded_at__lte=end))
    rows = qs.values_list("region_id", "indicator_id", "year", "value", "unit", "comparator",
                          "flags", "original_value", "source__url", "source__title", "snippet",
                          "published", "recorded_at", "vintage", "source_id")
    frame = pd.DataFrame(list(rows), columns=[*COLUMNS, "source_id"])
    if not all_vintages and not frame.empty:
        frame = frame.sort_values("vintage").drop_duplicates([*CELL, "source_id"], keep="last")
    return frame.sort_values([*CELL, "source_id"]).reset_index(drop=True)


def is_secondary(title: str) -> bool:
    return title.strip().lower().startswith(tuple(m.lower() for m in SECONDARY_MARKERS))


def resolve_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """One value per cell for calculation, with ``conflict`` and ``alternatives`` kept.

    Preference (documented in docs/data.md): a publisher's own page over a secondary copy,
    then the latest publication. The other sources' values stay in ``alternatives`` so every
    page and export can show the disagreement; nothing is averaged or dropped.
    """
    if frame.empty:
        return frame.assign(conflict=pd.Series(dtype=bool), alternatives=pd.Series(dtype=object),
                            n_sources=pd.Series(dtype=int))
    recorded = pd.to_datetime(frame["recorded_at"], utc=True).dt.tz_localize(None)
    published = pd.to_datetime(frame["published"]).astype("datetime64[ns]")
    f = frame.assign(
        secondary=frame["source_title"].map(is_secondary),
        pub=published.fillna(recorded.astype("datetime64[ns]")),
    ).sort_values([*CELL, "secondary", "pub"], ascending=[True, True, True, True, False])
    first = f.drop_duplicates(CELL, keep="first").set_index(CELL)
    grouped = f.groupby(CELL, sort=False)
    distinct = grouped["value"].agg(lambda v: v.round(9).nunique())
    alternatives = grouped.apply(
        lambda g: [{"value": r.value, "source_title": r.source_title, "source_url": r.source_url}
                   for r in g.iloc[1:].itertuples()], include_groups=False)
    first["n_sources"] = grouped.size()
    first["conflict"] = distinct > 1
    first["alternatives"] = alternatives
    return first.drop(columns=["secondary", "pub"]).reset_index()
