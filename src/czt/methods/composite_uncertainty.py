"""Uncertainty and sensitivity analysis of the composite index (Saisana, Saltelli & Tarantola
2005; OECD/JRC handbook §7).

Why: a composite index rests on choices — how to normalise, weight and aggregate — that
reasonable analysts make differently. Monte Carlo replications redo the index under random
alternatives and report each unit's median rank and its 5–95 % rank interval; Sobol indices
say which choice the ranking depends on most.

The uncertain inputs (factors), each drawn independently in every replication:

* ``impute`` (only when imputing): mean or median;
* ``normalisation``: min-max on [1, 100], z-score, rank, plus the nominal method when it is
  goalposts or distance to target (also on [1, 100]);
* ``aggregation``: arithmetic or geometric (z-scores can be negative, so with z-score the
  run is arithmetic — an interaction the Sobol total index captures);
* ``weighting``: the nominal scheme, equal and entropy weights (within each dimension);
* ``weights_noise`` (when ``weight_noise`` > 0): every indicator weight times
  U(1 − noise, 1 + noise), then rescaled within its dimension.

Output of the uncertainty analysis per row: ``rank_median``, ``rank_p05`` (5th percentile,
rounded down) and ``rank_p95`` (95th, rounded up), so both ends are ranks that occurred.

Sensitivity: SALib's Sobol sequence design (Saltelli 2002 / Saltelli et al. 2010) with
N·(D + 2) replications for D factors (the k weight multipliers form one group), and
``SALib.analyze.sobol`` for the first-order index S1 (share of the output variance due to the
factor alone) and the total index ST (including all its interactions), with bootstrap 95 %
intervals. The output is, as in COINr's ``get_sensitivity``, the mean absolute rank shift
R̄ = (1/n) Σ_i |rank_i − nominal rank_i| (Saisana et al. 2005, eq. 11).

Speed: the replications are evaluated together. Imputation, outlier treatment and the
normalised matrices depend only on the imputation and normalisation choices, and the base
weights only on the imputation and weighting choices, so each is computed once per option;
every replication is then one column of a matrix product and ranks are taken column-wise.
:func:`loop_ranks` is the one-replication-at-a-time reference (each run redoes the whole
pipeline); the tests check both give the same ranks, the benchmark compares their speed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from czt.methods.composite import AGGREGATE, Spec, group_ranks
from czt.methods.inputs import option_error

MC_NORMALISE = ("minmax", "zscore", "rank")
MC_RANGE = (1.0, 100.0)
CHUNK = 1024  # replications evaluated at once: bounds memory at rows × CHUNK floats
FACTOR_LABELS = {
    "impute": ("插补方法", "imputation"),
    "normalisation": ("标准化方法", "normalisation"),
    "aggregation": ("加总方法", "aggregation"),
    "weighting": ("权重方法", "weighting scheme"),
    "weights_noise": ("权重扰动", "weight noise"),
}


@dataclass(frozen=True)
class Space:
    """The alternatives of each factor."""

    imputes: tuple[str, ...]
    norms: tuple[str, ...]
    schemes: tuple[str, ...]
    noise: float

    @classmethod
    def around(cls, impute_with: str, normalisation: str, scheme: str, noise: float) -> Space:
        """The alternatives around the nominal choices (see the module docstring)."""
        imputes = ("none",) if impute_with == "none" else ("mean", "median")
        norms = MC_NORMALISE + ((normalisation,) if normalisation not in MC_NORMALISE else ())
        schemes = tuple(dict.fromkeys((scheme, "equal", "entropy")))
        return cls(imputes, norms, schemes, noise)

    def factors(self) -> list[str]:
        """The factors that vary, in the column order of a Sobol sample."""
        out = ["impute"] if len(self.imputes) > 1 else []
        out += ["normalisation", "aggregation"]
        out += ["weighting"] if len(self.schemes) > 1 else []
        return out + (["weights_noise"] if self.noise > 0 else [])

    def options(self, factor: str) -> tuple[str, ...]:
        return {"impute": self.imputes, "normalisation": self.norms,
                "aggregation": AGGREGATE, "weighting": self.schemes}.get(factor, ())


@dataclass(frozen=True)
class Draws:
    """The choice of every replication: indices into the Space's options, and multipliers."""

    impute: np.ndarray
    norm: np.ndarray
    agg: np.ndarray
    scheme: np.ndarray
    multipliers: np.ndarray  # replications × indicators

    def __len__(self) -> int:
        return len(self.norm)


def random_draws(space: Space, k: int, runs: int, rng: np.random.Generator) -> Draws:
    """Independent uniform draws of every factor (the uncertainty analysis)."""
    impute = rng.integers(len(space.imputes), size=runs)
    norm = rng.integers(len(space.norms), size=runs)
    agg = rng.integers(len(AGGREGATE), size=runs)
    scheme = rng.integers(len(space.schemes), size=runs)
    mult = rng.uniform(1 - space.noise, 1 + space.noise, size=(runs, k))
    return _draws(space, impute, norm, agg, scheme, mult)


def unit_draws(space: Space, k: int, sample: np.ndarray) -> Draws:
    """Map a sample on [0, 1]^(D−1+k) (columns in :meth:`Space.factors` order, the weight
    multipliers last) to choices: option ⌊u·m⌋ of m, multiplier 1 − noise + 2·noise·u."""
    runs = len(sample)
    cols = iter(range(sample.shape[1]))

    def pick(factor: str, m: int) -> np.ndarray:
        if factor not in space.factors():
            return np.zeros(runs, dtype=int)
        return np.minimum((sample[:, next(cols)] * m).astype(int), m - 1)

    impute = pick("impute", len(space.imputes))
    norm = pick("normalisation", len(space.norms))
    agg = pick("aggregation", len(AGGREGATE))
    scheme = pick("weighting", len(space.schemes))
    if space.noise > 0:
        rest = sample[:, -k:]
        mult = 1 - space.noise + 2 * space.noise * rest
    else:
        mult = np.ones((runs, k))
    return _draws(space, impute, norm, agg, scheme, mult)


def _draws(space, impute, norm, agg, scheme, mult) -> Draws:
    agg = np.where(np.asarray(space.norms)[norm] == "zscore", 0, agg)
    return Draws(impute, norm, agg, scheme, mult)


class Evaluator:
    """Ranks of many replications at once (see the module docstring)."""

    def __init__(self, spec: Spec, space: Space) -> None:
        self.spec = spec
        self.space = space
        self.z: dict[tuple[int, int], np.ndarray] = {}
        self.log_z: dict[tuple[int, int], np.ndarray] = {}
        self.within: dict[tuple[int, int], np.ndarray] = {}
        for i, how in enumerate(space.imputes):
            x = spec.treated(how)[0]
            for n, norm in enumerate(space.norms):
                z = spec.normalised(x, norm, MC_RANGE)
                self.z[i, n] = z
                if norm != "zscore":
                    self.log_z[i, n] = np.log(z)
            for s, scheme in enumerate(space.schemes):
                self.within[i, s] = spec.weights(x, scheme)[0]

    def ranks(self, draws: Draws) -> np.ndarray:
        """Rows × replications ranks (within each year)."""
        spec = self.spec
        out = np.empty((len(spec.groups), len(draws)), dtype=np.int32)
        keys = np.stack([draws.impute, draws.norm, draws.agg, draws.scheme], axis=1)
        for key in np.unique(keys, axis=0):
            i, n, a, s = (int(v) for v in key)
            runs = np.flatnonzero((keys == key).all(axis=1))
            for start in range(0, len(runs), CHUNK):
                idx = runs[start : start + CHUNK]
                w = spec.effective(spec.renormalise(self.within[i, s] * draws.multipliers[idx]))
                if AGGREGATE[a] == "arithmetic":
                    scores = self.z[i, n] @ w.T
                else:
                    scores = np.exp(self.log_z[i, n] @ w.T)
                out[:, idx] = group_ranks(scores, spec.groups)
        return out


def loop_ranks(spec: Spec, space: Space, draws: Draws) -> np.ndarray:
    """The straightforward reference: every replication redoes the whole pipeline (impute,
    treat, normalise, weigh, aggregate, rank) on its own."""
    out = np.empty((len(spec.groups), len(draws)), dtype=np.int32)
    for r in range(len(draws)):
        score = spec.scores(
            space.imputes[draws.impute[r]], space.norms[draws.norm[r]],
            AGGREGATE[draws.agg[r]], space.schemes[draws.scheme[r]], draws.multipliers[r],
            minmax_range=MC_RANGE,
        )
        out[:, r] = group_ranks(score, spec.groups)
    return out


def summarise(ranks: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Median rank and the 5–95 % interval of each row."""
    return pd.DataFrame(
        {
            "rank_median": np.median(ranks, axis=1),
            "rank_p05": np.percentile(ranks, 5, axis=1, method="lower").astype(int),
            "rank_p95": np.percentile(ranks, 95, axis=1, method="higher").astype(int),
        },
        index=index.copy(),
    )


def rank_intervals(spec: Spec, space: Space, runs: int, rng: np.random.Generator
                   ) -> pd.DataFrame:
    draws = random_draws(space, len(spec.framework.indicators), runs, rng)
    return summarise(Evaluator(spec, space).ranks(draws), spec.frame_index)


def problem(space: Space, k: int) -> dict:
    """The SALib problem: one variable per discrete factor, k grouped weight multipliers."""
    names = [f for f in space.factors() if f != "weights_noise"]
    groups = list(names)
    if space.noise > 0:
        names += [f"weight_{j}" for j in range(k)]
        groups += ["weights_noise"] * k
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
            "groups": groups}


def sobol_indices(spec: Spec, space: Space, n: int, nominal: np.ndarray,
                  seed: int | None) -> pd.DataFrame:
    """First-order and total Sobol indices of the factors for the mean absolute rank shift."""
    if n < 2 or n & (n - 1):
        raise option_error("sobol", "应为 2 的幂（如 512、1024）",
                           "must be a power of 2 (e.g. 512)")
    k = len(spec.framework.indicators)
    prob = problem(space, k)
    sample = sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
    ranks = Evaluator(spec, space).ranks(unit_draws(space, k, sample))
    y = np.abs(ranks - nominal[:, None]).mean(axis=0)
    factors = space.factors()
    if np.var(y) == 0:  # no choice moves any rank: every index is 0
        s1 = st = s1c = stc = np.zeros(len(factors))
    else:
        res = sobol_analyze.analyze(prob, y, calc_second_order=False, seed=seed)
        s1, st, s1c, stc = (np.asarray(res[key]) for key in ("S1", "ST", "S1_conf", "ST_conf"))
    out = pd.DataFrame({
        "factor": factors,
        "name_zh": [FACTOR_LABELS[f][0] for f in factors],
        "name_en": [FACTOR_LABELS[f][1] for f in factors],
        "options": [", ".join(space.options(f)) or f"±{space.noise:g}" for f in factors],
        "S1": s1, "S1_conf": s1c, "ST": st, "ST_conf": stc,
    })
    out.attrs.update(runs=len(sample), base=n, mean_shift=float(y.mean()))
    return out
