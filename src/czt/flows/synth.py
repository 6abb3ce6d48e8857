"""Synthetic origin–destination records (合成数据) for tests, demos and benchmarks.

**These records are invented.** They follow the real schema (:mod:`czt.flows.schema`) and real
county populations and locations, but no movement in them happened. Every file carries the
Parquet metadata ``czt.flows.synthetic = true`` and the generator's parameters and seed.

Model. The expected flow from county *i* to county *j* in month *t* is a structural gravity
kernel (Anderson & van Wincoop 2003; Head & Mayer 2014)::

    m_ijt = P_i^a · P_j^a · d_ij^(−δ) · H^[i = j] · B_t^(−[city(i) ≠ city(j)]) · exp(ε_ijt)

with 2020 census populations *P*, distance *d* (km; internal distance per
:func:`czt.flows.regions.pair_table`), a home factor *H* for same-district flows, a border
factor *B_t* — how many times more flow stays inside a city than crosses a city boundary —
that moves log-linearly from ``border_start`` to ``border_end`` month by month (integration),
and log-normal pair-month noise ε ~ N(−σ²/2, σ²). Daily volume grows by ``growth`` a year,
follows a weekly cycle and rises with the total of the kernel (lower borders add flow);
within a day, kinds and hours follow weekday and weekend profiles per kind.

Rows are a multinomial sample: ``rows`` records are drawn with probability proportional to
the model, each carrying ``count = 1 + Poisson(λ_kind)``. So expected aggregated counts
follow the gravity model exactly, which is what lets tests check that the PPML estimator in
:mod:`czt.flows.gravity` recovers ``B_t``. Records are written sorted by date, kind, hour and
pair (like a carrier's daily delivery) in chunks, ``rows_per_file`` rows per file.

Reproducible: the same parameters (including ``seed`` and ``chunk_rows``) give the same files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from czt.flows import schema
from czt.flows.regions import load_counties, pair_table

KIND_ORDER: tuple[str, ...] = tuple(schema.KINDS)
#: Share of each kind on weekdays and at weekends (commuting drops at weekends).
KIND_SHARES = np.array([[0.45, 0.33, 0.07, 0.15], [0.15, 0.60, 0.02, 0.23]])
#: Extra persons per record on top of one: E[count] = 1 + λ.
COUNT_EXTRA = np.array([2.0, 1.0, 0.0, 4.0])
#: Relative daily volume Monday … Sunday.
WEEKLY = np.array([1.0, 1.0, 1.0, 1.0, 1.05, 0.85, 0.8])


def _bumps(*spec: tuple[float, float, float], base: float) -> np.ndarray:
    h = np.arange(24) + 0.5
    out = np.full(24, base)
    for weight, mu, sd in spec:
        out += weight * np.exp(-((h - mu) ** 2) / (2 * sd**2))
    return out / out.sum()


#: Hour profiles [weekday/weekend][kind]: commuting peaks at 07–08 and 17–18 on weekdays.
HOURLY = np.array(
    [
        [
            _bumps((8, 7.5, 1.0), (7, 17.8, 1.2), (1, 12.5, 1.5), base=0.1),
            _bumps((2, 8, 1.5), (3, 12, 3), (3, 18, 2), (1, 21, 1.5), base=0.15),
            _bumps((5, 10, 1.5), (5, 15, 1.8), base=0.05),
            _bumps((5, 10, 1.5), (4, 15, 1.5), base=0.05),
        ],
        [
            _bumps((2, 9, 2), (2, 17, 2), base=0.3),
            _bumps((4, 11, 2.5), (4, 16, 3), (2, 20, 1.5), base=0.15),
            _bumps((3, 11, 2), base=0.1),
            _bumps((4, 11, 2), (3, 15, 2), base=0.05),
        ],
    ]
)


@dataclass(frozen=True)
class SynthParams:
    """Generator settings; defaults give a plausible two-year picture of 长株潭 integration."""

    rows: int = 1_000_000
    start: dt.date = dt.date(2023, 1, 1)
    end: dt.date = dt.date(2024, 12, 31)
    seed: int = 2026
    border_start: float = 3.0
    border_end: float | None = 2.0
    distance_decay: float = 1.4
    population_elasticity: float = 1.0
    home: float = 1.0
    growth: float = 0.06
    noise: float = 0.1
    rows_per_file: int = 20_000_000
    chunk_rows: int = 2_000_000

    def __post_init__(self) -> None:
        if self.rows < 1 or self.chunk_rows < 1 or self.rows_per_file < 1:
            raise ValueError("rows, chunk_rows and rows_per_file must be positive")
        if self.end < self.start:
            raise ValueError("end must not be before start")
        if self.border_start <= 0 or (self.border_end is not None and self.border_end <= 0):
            raise ValueError("border factors must be positive (1 = no border effect)")

    def to_dict(self) -> dict[str, object]:
        d = dataclasses.asdict(self)
        d["start"], d["end"] = self.start.isoformat(), self.end.isoformat()
        return d


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the calendar months from ``start`` to ``end``."""
    return list(pd.date_range(start.replace(day=1), end, freq="MS").date)


def month_borders(params: SynthParams) -> pd.Series:
    """The border factor B_t the generator used, per month (index: first day of month)."""
    months = months_between(params.start, params.end)
    end = params.border_start if params.border_end is None else params.border_end
    frac = np.arange(len(months)) / max(len(months) - 1, 1)
    logb = np.log(params.border_start) + (np.log(end) - np.log(params.border_start)) * frac
    return pd.Series(np.exp(logb), index=pd.to_datetime(months), name="border")


def true_border(params: SynthParams, grain: str = "month") -> pd.Series:
    """B_t per time bucket of ``grain`` (geometric mean over the bucket's months), to compare
    with an estimate."""
    b = np.log(month_borders(params))
    freq = {"month": "MS", "quarter": "QS", "year": "YS"}[grain]
    return np.exp(b.groupby(b.index.to_period(freq[0]).start_time).mean()).rename("border")


@dataclass
class SynthResult:
    files: list[Path]
    params: SynthParams
    seconds: float
    rows: int = 0
    bytes: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "synthetic": True,
            "files": [str(f) for f in self.files],
            "rows": self.rows,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows / self.seconds) if self.seconds else None,
            "params": self.params.to_dict(),
        }


class _Model:
    """Pre-computed sampling tables; everything per chunk is vectorised look-ups."""

    def __init__(self, p: SynthParams) -> None:
        setup = np.random.default_rng([p.seed, 0])
        pairs = pair_table()
        self.codes = load_counties()["code"].to_numpy(np.int32)
        self.n = len(self.codes)
        days = pd.date_range(p.start, p.end, freq="D")
        self.epoch0 = (p.start - dt.date(1970, 1, 1)).days
        months = pd.to_datetime(months_between(p.start, p.end))
        self.month_of_day = np.searchsorted(months.values, days.values, side="right") - 1
        self.weekend = (days.day_of_week >= 5).astype(np.int64)
        border = month_borders(p).to_numpy()
        log_kernel = (
            p.population_elasticity * np.log(pairs["origin_population"].to_numpy(float))
            + p.population_elasticity * np.log(pairs["destination_population"].to_numpy(float))
            - p.distance_decay * np.log(pairs["distance_km"].to_numpy(float))
            + np.log(p.home) * pairs["same_district"].to_numpy()
        )
        cross = pairs["cross_city"].to_numpy()
        kernel = np.exp(log_kernel[None, :] - np.log(border)[:, None] * cross[None, :])
        totals = kernel.sum(axis=1)
        eps = setup.normal(-(p.noise**2) / 2, p.noise, size=kernel.shape) if p.noise else 0.0
        self.pair_cdf = _stacked_cdf(kernel * np.exp(eps))
        years = (days - days[0]).days.to_numpy() / 365.25
        volume = (
            (1 + p.growth) ** years
            * WEEKLY[days.day_of_week]
            * (totals / totals[0])[self.month_of_day]
        )
        self.day_rows = setup.multinomial(p.rows, volume / volume.sum())
        self.day_end = np.cumsum(self.day_rows)
        self.kind_cdf = _stacked_cdf(KIND_SHARES)
        self.hour_cdf = _stacked_cdf(HOURLY.reshape(-1, 24))


def _stacked_cdf(weights: np.ndarray) -> np.ndarray:
    """Row-wise CDFs laid end to end, offset by row number, for one vectorised searchsorted."""
    cdf = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    return (cdf + np.arange(len(cdf))[:, None]).ravel()


def _draw(cdf: np.ndarray, row: np.ndarray, width: int, rng: np.random.Generator) -> np.ndarray:
    """Sample a category from row ``row`` of a stacked CDF table, for every element at once."""
    idx = np.searchsorted(cdf, rng.random(len(row)) + row, side="right")
    return np.minimum(idx - row * width, width - 1)


def _chunk(model: _Model, p: SynthParams, index: int) -> pa.Table:
    lo = index * p.chunk_rows
    hi = min(lo + p.chunk_rows, p.rows)
    rng = np.random.default_rng([p.seed, 1, index])
    first = np.searchsorted(model.day_end, lo, side="right")
    last = np.searchsorted(model.day_end, hi - 1, side="right")
    starts = np.maximum(model.day_end[first : last + 1] - model.day_rows[first : last + 1], lo)
    counts = np.minimum(model.day_end[first : last + 1], hi) - starts
    day = np.repeat(np.arange(first, last + 1), counts)
    weekend = model.weekend[day]
    nk, npair = len(KIND_ORDER), model.n * model.n
    kind = _draw(model.kind_cdf, weekend, nk, rng)
    hour = _draw(model.hour_cdf, weekend * nk + kind, 24, rng)
    pair = _draw(model.pair_cdf, model.month_of_day[day], npair, rng)
    key = np.sort((((day - first) * nk + kind) * 24 + hour) * npair + pair)
    rest, pair = np.divmod(key, npair)
    rest, hour = np.divmod(rest, 24)
    day_off, kind = np.divmod(rest, nk)
    count = 1 + rng.poisson(COUNT_EXTRA[kind])
    origin, destination = np.divmod(pair, model.n)
    days32 = (day_off + first + model.epoch0).astype(np.int32)
    return pa.table(
        {
            "origin": pa.array(model.codes[origin]),
            "destination": pa.array(model.codes[destination]),
            "date": pa.Array.from_buffers(pa.date32(), len(key), [None, pa.py_buffer(days32)]),
            "period": pa.DictionaryArray.from_arrays(
                pa.array(hour.astype(np.int8)), pa.array(schema.HOURS)
            ),
            "kind": pa.DictionaryArray.from_arrays(
                pa.array(kind.astype(np.int8)), pa.array(KIND_ORDER)
            ),
            "count": pa.array(count.astype(np.int64)),
        }
    )


def iter_chunks(params: SynthParams) -> Iterator[pa.Table]:
    """Yield the synthetic records chunk by chunk (``chunk_rows`` rows each)."""
    model = _Model(params)
    for i in range(-(-params.rows // params.chunk_rows)):
        yield _chunk(model, params, i)


def synthesize(
    out_dir: str | Path,
    params: SynthParams | None = None,
    *,
    progress: bool = False,
    prefix: str = "synthetic",
) -> SynthResult:
    """Write synthetic records to ``out_dir`` as ``<prefix>-<seed>-NNNNN.parquet`` files."""
    params = params or SynthParams()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        b"czt.flows.synthetic": b"true",
        b"czt.flows.params": json.dumps(params.to_dict()).encode(),
        b"czt.flows.note": "合成数据 synthetic data, not real movements".encode(),
    }
    arrow_schema = pa.schema(
        [
            pa.field(c, pa.dictionary(pa.int8(), pa.string()))
            if c in ("period", "kind")
            else pa.field(c, schema.CANONICAL_TYPES[c])
            for c in schema.REQUIRED_COLUMNS
        ],
        metadata=meta,
    )
    t0 = time.perf_counter()
    files: list[Path] = []
    writer: pq.ParquetWriter | None = None
    in_file = 0
    bar = tqdm(
        total=params.rows, unit="rows", unit_scale=True, desc="合成 synth", disable=not progress
    )
    try:
        for table in iter_chunks(params):
            while table.num_rows:
                if writer is None or in_file >= params.rows_per_file:
                    if writer is not None:
                        writer.close()
                    files.append(out / f"{prefix}-{params.seed}-{len(files):05d}.parquet")
                    writer = pq.ParquetWriter(files[-1], arrow_schema, compression="zstd")
                    in_file = 0
                piece = table.slice(0, params.rows_per_file - in_file)
                writer.write_table(piece.cast(arrow_schema), row_group_size=1 << 20)
                in_file += piece.num_rows
                table = table.slice(piece.num_rows)
                bar.update(piece.num_rows)
    finally:
        if writer is not None:
            writer.close()
        bar.close()
    return SynthResult(
        files,
        params,
        time.perf_counter() - t0,
        rows=params.rows,
        bytes=sum(f.stat().st_size for f in files),
    )


def is_synthetic(path: str | Path) -> bool:
    """True for files this module wrote (their Parquet metadata says so)."""
    meta = pq.read_metadata(path).metadata or {}
    return meta.get(b"czt.flows.synthetic") == b"true"
