"""跨城流动: within- and cross-city shares, the flow map and the border-effect trend of a folder
of origin–destination Parquet files.

The folder is ``settings.CZT_FLOWS_DIR`` (env ``CZT_FLOWS_DIR``). When it is unset the page shows
a clearly labelled synthetic demo, generated once by :mod:`czt.flows.synth` into
``$CZT_HOME/flows/demo``. Every statistic comes from :mod:`czt.flows` (validation, the DuckDB
aggregate, :func:`czt.flows.metrics.flow_metrics` with the PPML border effect); this module only
orchestrates, caches and reshapes the results for the page and ``/api/flows/metrics``.

The computed metrics are cached in ``$CZT_HOME/flows/.web-cache/`` as JSON, keyed by the
folder, the request (time grain, kinds) and every file's name, size and modification time, so
the page is fast after the first view and recomputes as soon as a file changes.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import math
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from czt.flows import schema
from czt.flows.engines import AggregateSpec, NoFilesError, aggregate, resolve_files
from czt.flows.regions import CITY_NAMES, CITY_NAMES_EN
from czt.flows.synth import SynthParams, is_synthetic, synthesize
from czt.flows.validate import FileReport, validate_files
from czt.web.pages.context import lang_of
from czt.web.pages.views.maps import boundaries_text

#: The model periods the page offers (the border effect needs several buckets of a few days'
#: data at least; day and week buckets would give hundreds of noisy coefficients).
TIME_GRAINS = ("month", "quarter", "year")
DEFAULT_TIME = "quarter"
#: The synthetic demo: two years, border factor 3.0 → 2.0, a few hundred thousand records.
DEMO_PARAMS = SynthParams(rows=500_000, chunk_rows=500_000, seed=2026)
CACHE_VERSION = 1
TOP_PAIRS = 10

_memo: dict[str, tuple[str, dict]] = {}
_memo_lock = threading.Lock()


class FlowsUnavailable(Exception):
    """The folder cannot be read as flows: missing, no Parquet files, or files fail validation.

    ``reason`` is ``no_files`` or ``invalid``; ``reports`` holds every file's validation report
    (failed ones first) so the page and the API can say which file and why.
    """

    def __init__(self, reason: str, folder: Path, *, detail: str = "",
                 reports: list[FileReport] | None = None) -> None:
        self.reason = reason
        self.folder = folder
        self.detail = detail
        self.reports = reports or []
        super().__init__(detail or reason)

    def files(self, lang: str) -> list[dict]:
        """Failed files with their problems, names only (no server paths)."""
        out = []
        for r in self.reports:
            if r.ok:
                continue
            out.append({
                "file": r.path.name, "rows": r.rows,
                "problems": [{"check": p.check, "column": p.column, "count": p.count,
                              "message": p.message(lang),
                              "examples": [{"row": row, "value": v} for row, v in p.examples]}
                             for p in r.problems],
            })
        return out

    def message(self, lang: str) -> str:
        if self.reason == "invalid":
            return _("%(n)d of %(total)d files failed validation. Nothing is shown until they "
                     "are fixed or removed from the folder.") % {
                "n": sum(not r.ok for r in self.reports), "total": len(self.reports)}
        return self.detail


@dataclass
class FlowsSource:
    folder: Path
    demo: bool
    files: list[Path] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Where the files are


def flows_home() -> Path:
    return Path(settings.CZT_HOME) / "flows"


def configured_folder() -> str:
    return str(getattr(settings, "CZT_FLOWS_DIR", "") or "").strip()


def ensure_demo(folder: Path, params: SynthParams | None = None) -> list[Path]:
    """The demo's files, generated on first use (under a lock, into a staging folder that is
    renamed into place, so a half-written demo is never read)."""
    existing = sorted(folder.glob("*.parquet"))
    if existing:
        return existing
    folder.parent.mkdir(parents=True, exist_ok=True)
    with (folder.parent / ".demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        existing = sorted(folder.glob("*.parquet"))
        if existing:
            return existing
        staging = folder.parent / f".demo-{uuid.uuid4().hex[:8]}"
        try:
            synthesize(staging, params or DEMO_PARAMS)
            if folder.exists():  # an empty leftover folder
                shutil.rmtree(folder)
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(folder.glob("*.parquet"))


def flows_source(lang: str = "zh") -> FlowsSource:
    """The configured folder, or the synthetic demo when none is configured."""
    configured = configured_folder()
    if not configured:
        folder = flows_home() / "demo"
        return FlowsSource(folder, True, ensure_demo(folder))
    folder = Path(configured).expanduser()
    # the message names no path: the page and the API show the folder as the reader may see it
    if not folder.is_dir():
        raise FlowsUnavailable("no_files", folder,
                               detail=_("The folder set by CZT_FLOWS_DIR does not exist."))
    try:
        files = resolve_files(folder, lang)
    except NoFilesError as exc:
        raise FlowsUnavailable("no_files", folder, detail=_(
            "The folder set by CZT_FLOWS_DIR holds no Parquet files (*.parquet).")) from exc
    return FlowsSource(folder, False, files)


# --------------------------------------------------------------------------------------------
# Computing (through czt.flows only) and caching


def _signature(files: list[Path]) -> list[list]:
    out = []
    for f in files:
        st = f.stat()
        out.append([f.name, st.st_size, st.st_mtime_ns])
    return out


def _clean(value):
    """JSON-safe: NaN/inf → None, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _label(day: str, grain: str) -> str:
    return schema.time_label(dt.date.fromisoformat(day[:10]), grain)


def compute(files: list[Path], time_grain: str, kinds: tuple[str, ...] | None) -> dict:
    """Validate, aggregate (DuckDB) and compute the metrics; a language-neutral payload."""
    from czt.flows.metrics import flow_metrics

    t0 = time.perf_counter()
    reports = validate_files(files)
    if not all(r.ok for r in reports):
        raise FlowsUnavailable("invalid", files[0].parent,
                               reports=sorted(reports, key=lambda r: r.ok))
    t1 = time.perf_counter()
    spec = AggregateSpec(time=time_grain, period="day", kinds=kinds)
    agg = aggregate(files, spec, engine="duckdb")
    t2 = time.perf_counter()
    notes: list[str] = []
    try:
        result = flow_metrics(agg, border=True)
    except Exception as exc:  # e.g. a single period or no cross-city flow: shares still stand
        result = flow_metrics(agg, border=False)
        notes.append(_("border effect not estimated: %(error)s")
                     % {"error": f"{type(exc).__name__}: {exc}"})
    t3 = time.perf_counter()
    shares = result.shares.to_dict()
    periods = []
    for row in shares["overall"]:
        total = row["total"] or 0
        periods.append({
            "time": row["time"], "label": _label(row["time"], time_grain),
            "same_district": row["same_district"], "within_city": row["within_city"],
            "cross_city": row["cross_city"], "total": total,
            "within_city_share": row["within_city"] / total if total else None,
            "cross_city_share": row["cross_city_share"],
            "cross_city_share_between_districts": row["cross_city_share_between_districts"],
        })
    pairs = [{"time": p["time"], "label": _label(p["time"], time_grain),
              "origin_city": p["origin_city"], "destination_city": p["destination_city"],
              "flows": p["flows"], "share_of_total": p["share_of_total"],
              "share_of_origin": p["share_of_origin"]} for p in shares["pairs"]]
    top = result.intensity.top(TOP_PAIRS)
    top = top.assign(time=top["time"].dt.strftime("%Y-%m-%d"))
    intensity = [{"time": r.time, "label": _label(r.time, time_grain),
                  "origin": str(r.origin), "destination": str(r.destination),
                  "flows": int(r.flows), "per_10k_origin": float(r.per_10k_origin),
                  "relative": float(r.relative)} for r in top.itertuples()]
    frame = agg.frame
    between = frame[frame["origin"] != frame["destination"]]
    directed = between.groupby(["origin", "destination"])["flows"].sum()
    links: dict[tuple[int, int], dict] = {}
    for (o, d), v in directed.items():
        a, b = sorted((int(o), int(d)))
        link = links.setdefault((a, b), {"a": str(a), "b": str(b), "ab": 0, "ba": 0,
                                         "cross_city": str(a)[:4] != str(b)[:4]})
        link["ab" if int(o) == a else "ba"] += int(v)
    for link in links.values():
        link["flows"] = link["ab"] + link["ba"]
    internal = frame[frame["origin"] == frame["destination"]].groupby("origin")["flows"].sum()
    border = result.border.to_dict() if result.border is not None else None
    if border is not None:
        border["periods"] = [{k: p.get(k) for k in ("time", "label", "beta", "se", "ci_low",
                                                      "ci_high", "ratio", "ratio_low",
                                                      "ratio_high")}
                             for p in border["periods"]]
    synthetic = [f.name for f in files if is_synthetic(f)]
    dates = [r.first_date for r in reports if r.first_date] + [
        r.last_date for r in reports if r.last_date]
    return _clean({
        "source": {
            "files": [{"name": r.path.name, "rows": r.rows} for r in reports],
            "records": int(agg.records), "flows": int(frame["flows"].sum()),
            "first_date": min(dates).isoformat() if dates else None,
            "last_date": max(dates).isoformat() if dates else None,
            "synthetic_files": synthetic,
            "synthetic_params": _synth_params(files[0]) if synthetic else None,
        },
        "spec": {"time": time_grain, "period": "day", "kinds": list(kinds) if kinds else None,
                 "engine": agg.engine},
        "periods": periods,
        "pairs": pairs,
        "intensity": intensity,
        "border": border,
        "links": sorted(links.values(), key=lambda x: -x["flows"]),
        "internal": {str(k): int(v) for k, v in internal.items()},
        "notes": notes + (border["notes"] if border else []),
        "computed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": {"validate": round(t1 - t0, 3), "aggregate": round(t2 - t1, 3),
                    "metrics": round(t3 - t2, 3)},
    })


def _synth_params(path: Path) -> dict | None:
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path).metadata or {}
    raw = meta.get(b"czt.flows.params")
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def metrics_for(time_grain: str = DEFAULT_TIME, kinds: tuple[str, ...] | None = None,
                lang: str = "zh") -> tuple[FlowsSource, dict, bool]:
    """(source, payload, served from cache). Raises :class:`FlowsUnavailable`."""
    if time_grain not in TIME_GRAINS:
        raise ValueError(f"time must be one of {TIME_GRAINS}")
    kinds = tuple(sorted(set(kinds))) if kinds else None
    if kinds and set(kinds) - set(schema.KINDS):
        raise ValueError(f"kind must be among {list(schema.KINDS)}")
    src = flows_source(lang)
    request = {"v": CACHE_VERSION, "folder": str(src.folder.resolve()), "time": time_grain,
               "kinds": kinds}
    key = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:24]
    signature = json.dumps(_signature(src.files))
    with _memo_lock:
        hit = _memo.get(key)
    if hit and hit[0] == signature:
        return src, hit[1], True
    cache_dir = flows_home() / ".web-cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{key}.json"
    with (cache_dir / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one computation per folder and request at a time
        cached = _read_cache(path, signature)
        if cached is not None:
            payload, from_cache = cached, True
        else:
            try:
                payload, from_cache = compute(src.files, time_grain, kinds), False
            except FlowsUnavailable as exc:
                exc.folder = src.folder
                raise
            tmp = path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
            tmp.write_text(json.dumps({"signature": signature, "request": request,
                                       "payload": payload}, ensure_ascii=False), "utf-8")
            os.replace(tmp, path)
    with _memo_lock:
        _memo[key] = (signature, payload)
    return src, payload, from_cache


def _read_cache(path: Path, signature: str) -> dict | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data["payload"] if data.get("signature") == signature else None


# --------------------------------------------------------------------------------------------
# Presentation: names in the reader's language, map geometry


@cache
def county_centroids() -> dict[str, dict]:
    """Area-weighted centroid of each district/county's largest polygon (lon/lat, planar
    shoelace; fine at this scale), from the shipped boundaries."""
    geo = json.loads(boundaries_text())
    out = {}
    for feat in geo["features"]:
        props = feat["properties"]
        if props.get("level") != "county":
            continue
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        best = max((_ring_centroid(p[0]) for p in polys), key=lambda c: abs(c[2]))
        out[props["code"]] = {"code": props["code"], "name_zh": props["name"],
                              "name_en": props.get("name_en") or props["name"],
                              "city": props.get("parent") or props["code"][:4] + "00",
                              "lon": round(best[0], 5), "lat": round(best[1], 5)}
    return out


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-15:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * a), cy / (3 * a), a / 2


def kind_names() -> dict[str, str]:
    return {"commute": _("commuting"), "trip": _("trips"),
            "enterprise_link": _("enterprise links"), "service_use": _("cross-city service use")}


def localise(payload: dict, lang: str) -> dict:
    """The payload with city and county names in ``lang`` (a copy; the cache is not touched)."""
    cities = CITY_NAMES_EN if lang == "en" else CITY_NAMES
    counties = {c: v["name_en" if lang == "en" else "name_zh"]
                for c, v in county_centroids().items()}
    out = dict(payload)
    out["pairs"] = [{**p, "origin_city_name": cities.get(p["origin_city"], p["origin_city"]),
                     "destination_city_name": cities.get(p["destination_city"],
                                                         p["destination_city"])}
                    for p in payload["pairs"]]
    out["intensity"] = [{**r, "origin_name": counties.get(r["origin"], r["origin"]),
                         "destination_name": counties.get(r["destination"], r["destination"])}
                        for r in payload["intensity"]]
    out["links"] = [{**lk, "a_name": counties.get(lk["a"], lk["a"]),
                     "b_name": counties.get(lk["b"], lk["b"])} for lk in payload["links"]]
    return out


def _matrix(pairs: list[dict], label: str, lang: str) -> dict:
    """The 3 × 3 city matrix of one period: share of all flows and of the origin's outflow."""
    cities = CITY_NAMES_EN if lang == "en" else CITY_NAMES
    codes = list(CITY_NAMES)
    cell = {(p["origin_city"], p["destination_city"]): p for p in pairs if p["label"] == label}
    rows = []
    for o in codes:
        rows.append({"name": cities[o], "cells": [
            {"share": (cell.get((o, d)) or {}).get("share_of_total"),
             "of_origin": (cell.get((o, d)) or {}).get("share_of_origin"),
             "flows": (cell.get((o, d)) or {}).get("flows"), "cross": o != d} for d in codes]})
    return {"label": label, "columns": [cities[c] for c in codes], "rows": rows}


def shown_folder(request, folder: Path) -> str:
    """The full server path for signed-in users; only the folder's name for anonymous readers."""
    user = getattr(request, "user", None)
    return str(folder) if user is not None and user.is_authenticated else folder.name


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.2f}%"


def chart_words() -> dict[str, str]:
    """Labels the charts draw, in the reader's language."""
    return {"cross": _("crosses a city line"), "within": _("within one city"),
            "flows": _("flows"), "ratio": _("border effect exp(−β)"),
            # xgettext:no-python-format
            "ci": _("95% confidence interval"), "noborder": _("no border (1)"),
            "crossShare": _("cross-city share"),
            "crossBetween": _("cross-city share between districts"),
            "internal": _("within the district/county")}


def flows_page(request):
    lang = lang_of(request)
    time_grain = request.GET.get("time", DEFAULT_TIME)
    if time_grain not in TIME_GRAINS:
        time_grain = DEFAULT_TIME
    kind = request.GET.get("kind") or ""
    if kind not in schema.KINDS:
        kind = ""
    names = kind_names()
    context: dict = {
        "time_grain": time_grain, "kind": kind,
        "grains": [{"code": "month", "name": _("month")}, {"code": "quarter", "name": _("quarter")},
                   {"code": "year", "name": _("year")}],
        "kinds": [{"code": k, "name": names[k]} for k in schema.KINDS],
        "demo_rows": DEMO_PARAMS.rows,
    }
    t0 = time.perf_counter()
    try:
        src, payload, cached = metrics_for(time_grain, (kind,) if kind else None, lang)
    except FlowsUnavailable as exc:
        context.update({"error": exc.reason, "error_message": exc.message(lang),
                        "error_files": exc.files(lang),
                        "folder": shown_folder(request, exc.folder)})
        return render(request, "pages/flows.html", context)
    data = localise(payload, lang)
    periods = data["periods"]
    last = periods[-1]["label"] if periods else None
    synthetic = src.demo or bool(data["source"]["synthetic_files"])
    context.update({
        "folder": shown_folder(request, src.folder), "demo": src.demo, "synthetic": synthetic,
        "source": data["source"], "params": data["source"].get("synthetic_params"),
        "periods": periods, "pairs": data["pairs"], "border": data["border"],
        "intensity": [r for r in data["intensity"] if r["label"] == last],
        "matrix": _matrix(data["pairs"], last, lang) if last else None,
        "first": periods[0] if periods else None, "last": periods[-1] if periods else None,
        "headline": {"first_pct": _pct(periods[0]["cross_city_share"]) if periods else "",
                     "last_pct": _pct(periods[-1]["cross_city_share"]) if periods else ""},
        "words": chart_words(),
        "notes": data["notes"], "computed_at": data["computed_at"], "cached": cached,
        "seconds": data["seconds"], "elapsed": time.perf_counter() - t0,
        "chart": {"periods": periods, "border": data["border"], "links": data["links"],
                  "internal": data["internal"], "nodes": list(county_centroids().values()),
                  "lang": lang},
    })
    return render(request, "pages/flows.html", context)
