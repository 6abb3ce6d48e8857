"""Write validated rows to the store, all files in one transaction or nothing.

Re-importing a file changes nothing; a changed value for the same cell and source becomes
the next vintage of that cell. Rows are written with one ``executemany`` per table, not
through the ORM, because row-by-row model saves are far too slow for provincial files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from czt.ingest.readers import read_table
from czt.ingest.validate import Catalogue, Checked, check
from czt.messages import Problem, ValidationFailed
from czt.store.models import Indicator, IndicatorAlias, Observation, Plan, Region, Source, Target

WRITE_CHUNK = 50_000


@dataclass
class IngestReport:
    files: list[str] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    new_vintages: int = 0
    unchanged: int = 0
    targets_created: int = 0
    targets_confirmed: int = 0


def build_catalogue() -> Catalogue:
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for r in Region.objects.all():
        current = r.replaced_by_id or r.code
        codes[r.code] = current
        if r.level == "zone":
            continue
        if r.replaced_by_id is None:
            names[r.name_zh] = current
            names[r.name_zh.rstrip("市区县省")] = current
        names.setdefault(r.name_zh, current)
    codes.setdefault("CZT", "CZT")
    names.update({"长株潭": "CZT", "长株潭地区": "CZT", "长株潭地区(长沙+株洲+湘潭)": "CZT"})
    inds = {i.code: {"unit": i.unit, "min": i.min_value, "max": i.max_value,
                     "polarity": i.polarity} for i in Indicator.objects.all()}
    ind_names = {i.name_zh: i.code for i in Indicator.objects.all()}
    alias_measure = {}
    for a in IndicatorAlias.objects.all():
        ind_names[a.alias] = a.indicator_id
        alias_measure[a.alias] = a.measure
    plans = [{"id": p.id, "keywords": p.title_keywords, "base_year": p.base_year,
              "target_year": p.target_year} for p in Plan.objects.all()]
    return Catalogue(codes, names, inds, ind_names, alias_measure, plans)


def _sources(frame: pd.DataFrame) -> pd.Series:
    pairs = frame[["source_url", "source_title"]].drop_duplicates()
    ids = {}
    for url, title in pairs.itertuples(index=False):
        ids[(url, title)] = Source.objects.get_or_create(url=url, title=title)[0].pk
    keys = zip(frame["source_url"].tolist(), frame["source_title"].tolist(), strict=True)
    return pd.Series([ids[k] for k in keys], index=frame.index)


def _existing(source_ids: list[int]) -> pd.DataFrame:
    """Latest vintage of every cell already stored for these sources."""
    cols = ["region_id", "indicator_id", "year", "source_id", "value", "comparator", "vintage"]
    qs = Observation.objects.filter(source_id__in=source_ids).values_list(*cols)
    old = pd.DataFrame(list(qs), columns=cols)
    if old.empty:
        return old
    return old.sort_values("vintage").drop_duplicates(cols[:4], keep="last")


def _write_observations(obs: pd.DataFrame, batch_id: int, now: datetime,
                        report: IngestReport) -> None:
    if obs.empty:
        return
    obs = obs.assign(source_id=_sources(obs))
    key = ["region", "indicator", "year", "source_id"]
    old = _existing(sorted(obs["source_id"].unique().tolist()))
    if not old.empty:
        old = old.rename(columns={"region_id": "region", "indicator_id": "indicator",
                                  "value": "old_value", "comparator": "old_comparator"})
        obs = obs.merge(old, on=key, how="left")
    else:
        obs = obs.assign(old_value=np.nan, old_comparator="", vintage=np.nan)
    same = np.isclose(obs["value"], obs["old_value"], rtol=1e-12, atol=0) & (
        obs["comparator"] == obs["old_comparator"].fillna(""))
    report.unchanged += int(same.sum())
    obs = obs[~same]
    report.new_vintages += int(obs["vintage"].notna().sum())
    report.created += int(obs["vintage"].isna().sum())
    obs = obs.assign(vintage=obs["vintage"].fillna(0).astype(int) + 1)
    units = dict(Indicator.objects.values_list("code", "unit"))
    ops = connection.ops
    published = {d: ops.adapt_datefield_value(d) for d in obs["published"].dropna().unique()}
    recorded = ops.adapt_datetimefield_value(now)
    table = Observation._meta.db_table
    sql = (f"INSERT INTO {table} (region_id, indicator_id, year, value, unit, comparator, "
           "flags, original_value, original_unit, source_id, snippet, published, recorded_at, "
           "vintage, batch_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
    with connection.cursor() as cur:
        # chunks bound the Python objects alive at once; plain lists because iterating
        # pandas' Arrow-backed string columns row by row is ten times slower
        for begin in range(0, len(obs), WRITE_CHUNK):
            part = obs.iloc[begin:begin + WRITE_CHUNK]
            n = len(part)
            cur.executemany(sql, list(zip(
                part["region"].tolist(), part["indicator"].tolist(),
                part["year"].astype(int).tolist(), part["value"].astype(float).tolist(),
                part["indicator"].map(units).tolist(), part["comparator"].tolist(),
                part["flags"].tolist(), part["original_value"].tolist(),
                part["original_unit"].tolist(), part["source_id"].tolist(),
                part["snippet"].tolist(), [published.get(d) for d in part["published"].tolist()],
                [recorded] * n, part["vintage"].tolist(), [batch_id] * n, strict=True)))


def _target_operator(comparator: str, polarity: str) -> str:
    if comparator:
        return comparator
    return "<=" if polarity == "lower" else ">="


def _write_targets(targets: pd.DataFrame, report: IngestReport) -> None:
    polarity = dict(Indicator.objects.values_list("code", "polarity"))
    for t in targets.itertuples(index=False):
        op = _target_operator(t.comparator, polarity[t.indicator])
        same = [x for x in Target.objects.filter(
            plan_id=t.plan["id"], region_id=t.region, indicator_id=t.indicator,
            measure=t.measure, target_year=t.year, operator=op)
            if np.isclose(x.value, t.value)]
        if same:
            target = same[0]
            if t.source_url not in target.confirmed_by and t.source_url != target.source_url:
                target.confirmed_by = [*target.confirmed_by, t.source_url]
                target.save(update_fields=["confirmed_by"])
            report.targets_confirmed += 1
            continue
        n = Target.objects.filter(plan_id=t.plan["id"]).count() + 1
        Target.objects.create(
            id=f"{t.plan['id']}-{n:02d}", plan_id=t.plan["id"], region_id=t.region,
            indicator_id=t.indicator, measure=t.measure, operator=op, value=t.value,
            original_value=f"{t.original_value} {t.original_unit}",
            base_year=t.plan["base_year"], target_year=t.year, source_title=t.source_title,
            source_url=t.source_url, sentence=t.snippet)
        report.targets_created += 1


def ingest_files(paths: list[str | Path], *, now: datetime | None = None, user: str = "",
                 names: list[str] | None = None,
                 authorize: Callable[[str, Checked], list[Problem]] | None = None,
                 ) -> IngestReport:
    """Validate every file, then write all of them in one transaction.

    ``authorize(file_name, checked)`` lets a face add problems for rows the uploader may not
    write (another city's figures, say); they fail the import like any other error.
    Raises ValidationFailed (nothing written) listing every problem in every file.
    """
    now = now or timezone.now()
    catalogue = build_catalogue()
    checked, problems = [], []
    for n, path in enumerate(paths):
        name = names[n] if names else Path(path).name
        try:
            frame = read_table(path, name)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        result = check(frame, catalogue, name)
        problems.extend(result.problems)
        if authorize is not None and not result.problems:
            problems.extend(authorize(name, result))
        checked.append((path, name, len(frame), result))
    if problems:
        raise ValidationFailed(problems)
    report = IngestReport()
    with transaction.atomic():
        for path, name, n_rows, result in checked:
            batch = _batch(path, name, n_rows, now, user)
            before = (report.created, report.new_vintages, report.unchanged)
            _write_observations(result.observations, batch.pk, now, report)
            _write_targets(result.targets, report)
            batch.created = report.created - before[0]
            batch.new_vintages = report.new_vintages - before[1]
            batch.unchanged = report.unchanged - before[2]
            batch.save()
            report.files.append(name)
            report.rows += n_rows
    return report


def _batch(path: str | Path, name: str, n_rows: int, now: datetime, user: str):
    from czt.store.models import ImportBatch

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return ImportBatch.objects.create(file_name=name, sha256=digest, imported_at=now,
                                      imported_by=user, rows=n_rows)


__all__ = ["IngestReport", "Problem", "ValidationFailed", "build_catalogue", "ingest_files"]
