"""Read and validate the seed of the joint-task ledger (台账): units.csv, tasks.csv and
task_milestones.csv.

The seed is taken from the source documents (seeds 000–004: the five-year action plan, press
reports and expert essays), one row per concrete task, with the sentence that names it copied
verbatim so a reviewer can check every row against its source. The files only record what a
source says: an empty lead unit or due date means the source did not name one, and the
platform shows it as 待明确 (to be assigned) until the province fills it in; it is never
guessed. ``done_on`` is set only when a source reports a milestone reached, with the sentence
that proves it.

Like ``loaders.py``, every check reports file, row and column, and all problems are collected
before anything is raised, so one run shows a reviewer everything to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from czt.messages import Problem, ValidationFailed
from czt.reference.loaders import HERE, _Checker, _read, load_reference

UNITS = "units.csv"
TASKS = "tasks.csv"
MILESTONES = "task_milestones.csv"

UNIT_COLUMNS = ("code", "name_zh", "name_en", "kind", "region", "note")
TASK_COLUMNS = ("id", "title_zh", "title_en", "area", "plan", "seed", "source_sentence", "lead",
                "co_units", "indicators", "location_kind", "location_regions", "note")
MILESTONE_COLUMNS = ("task", "seq", "title_zh", "title_en", "due", "due_text", "done_on",
                     "evidence_seed", "evidence_sentence")

UNIT_KINDS = {"taskforce", "department", "city", "county"}
LOCATION_KINDS = {"point", "line", "area"}
# The source documents the seed was taken from (the files 000_….txt … 004_….txt).
SEEDS = {"000", "001", "002", "003", "004"}
# Cities whose departments may appear, with the prefix of their unit codes.
CITY_PREFIXES = {"cs": "430100", "zz": "430200", "xt": "430300"}

TASK_ID = re.compile(r"T\d{3}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SLUG = re.compile(r"[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*")

# How the platform shows an empty lead unit or due date.
TO_BE_ASSIGNED = {"zh": "待明确", "en": "to be assigned"}


@dataclass
class LedgerSeed:
    """The validated seed. Rows are dicts keyed by column, with these conversions:

    - units: ``region`` is ``None`` for provincial units;
    - tasks: ``plan`` and ``lead`` are ``None`` when empty (lead ``None`` = 待明确);
      ``co_units``, ``indicators`` and ``location_regions`` are tuples of codes (regions in
      route order for a line);
    - milestones: ``seq`` is an int, ``due`` and ``done_on`` are ``datetime.date`` or ``None``,
      ``evidence_seed`` is ``None`` when empty; other text columns stay strings.
    """

    units: list[dict]
    tasks: list[dict]
    milestones: list[dict]


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def _rows(folder: Path, name: str, columns: tuple[str, ...],
          ck: _Checker) -> list[tuple[int, dict]]:
    # ``_read`` joins its argument to the reference folder; an absolute path replaces it.
    rows = [(n, {k: (v or "").strip() for k, v in r.items() if k is not None})
            for n, r in _read(str((folder / name).resolve()))]
    if not rows:
        ck.problems.append(Problem(name, None, None, "empty_file"))
        return []
    header = rows[0][1].keys()
    missing = [c for c in columns if c not in header]
    for c in missing:
        ck.problems.append(Problem(name, 1, c, "missing_column", {"value": c}))
    return [] if missing else rows


def _unique(ck: _Checker, file: str, rows: list[tuple[int, dict]], key, column: str) -> None:
    seen: dict = {}
    for n, r in rows:
        k = key(r)
        if k in seen:
            ck.problems.append(Problem(file, n, column, "duplicate_key", {"other": seen[k]}))
        else:
            seen[k] = n


def _date(ck: _Checker, file: str, row: int, rec: dict, col: str) -> date | None:
    v = (rec.get(col) or "").strip()
    if not v:
        return None
    try:
        if not ISO_DATE.fullmatch(v):
            raise ValueError(v)
        return date.fromisoformat(v)
    except ValueError:
        ck.problems.append(Problem(file, row, col, "bad_date", {"value": v}))
        return None


def _codes(ck: _Checker, file: str, row: int, rec: dict, col: str, known: set[str],
           what: str) -> None:
    for v in _split(rec.get(col)):
        ck.ref(file, row, {col: v}, col, known, what)


def load_ledger(folder: Path | str | None = None) -> LedgerSeed:
    """Load and validate the three ledger files from ``folder`` (default: this package).

    Areas, plans, indicators and regions come from the shipped reference (``load_reference``).
    Raises ValidationFailed listing every problem found.
    """
    folder = Path(folder) if folder is not None else HERE
    ref = load_reference()
    regions = {r["code"]: r for r in ref.regions}
    # Places a task or unit may point at: current cities, counties and the 云龙 functional zone.
    places = {c for c, r in regions.items()
              if r["level"] in ("city", "county", "functional_zone") and not r["valid_to"]}
    ck = _Checker()

    units = _rows(folder, UNITS, UNIT_COLUMNS, ck)
    unit_codes = {u["code"] for _, u in units}
    _unique(ck, UNITS, units, lambda u: u["code"], "code")
    for n, u in units:
        ck.need(UNITS, n, u, "code", "name_zh", "name_en", "kind")
        if u["kind"]:
            ck.choice(UNITS, n, u, "kind", UNIT_KINDS)
        code, region = u["code"], u["region"]
        if u["kind"] in ("city", "county"):
            level = {"city": {"city"}, "county": {"county", "functional_zone"}}[u["kind"]]
            if code not in places or regions[code]["level"] not in level:
                ck.problems.append(Problem(UNITS, n, "code", "bad_code", {
                    "value": code, "expected": f"a current GB/T 2260 {u['kind']} code"}))
            if region != code:
                ck.problems.append(Problem(UNITS, n, "region", "bad_code", {
                    "value": region, "expected": f"the unit's own code {code}"}))
        elif u["kind"] in UNIT_KINDS:
            prefix = code[:2]
            if not SLUG.fullmatch(code) or prefix not in {"hn", *CITY_PREFIXES}:
                ck.problems.append(Problem(UNITS, n, "code", "bad_code", {
                    "value": code, "expected": "hn-… (province) or cs-/zz-/xt-… (city)"}))
            elif region != CITY_PREFIXES.get(prefix, ""):
                ck.problems.append(Problem(UNITS, n, "region", "bad_code", {
                    "value": region, "expected": CITY_PREFIXES.get(prefix) or "empty (province)"}))

    areas = {a["code"] for a in ref.areas}
    plans = {p["id"] for p in ref.plans}
    indicators = {i["code"] for i in ref.indicators}
    tasks = _rows(folder, TASKS, TASK_COLUMNS, ck)
    task_ids = {t["id"] for _, t in tasks}
    _unique(ck, TASKS, tasks, lambda t: t["id"], "id")
    for n, t in tasks:
        ck.need(TASKS, n, t, "id", "title_zh", "title_en", "area", "seed", "source_sentence",
                "location_kind", "location_regions")
        if t["id"] and not TASK_ID.fullmatch(t["id"]):
            ck.problems.append(Problem(TASKS, n, "id", "bad_code",
                                       {"value": t["id"], "expected": "T001"}))
        ck.ref(TASKS, n, t, "area", areas, "action area")
        ck.ref(TASKS, n, t, "plan", plans, "plan")
        if t["seed"]:
            ck.choice(TASKS, n, t, "seed", SEEDS)
        ck.ref(TASKS, n, t, "lead", unit_codes, "unit")
        _codes(ck, TASKS, n, t, "co_units", unit_codes, "unit")
        _codes(ck, TASKS, n, t, "indicators", indicators, "indicator")
        if t["location_kind"]:
            ck.choice(TASKS, n, t, "location_kind", LOCATION_KINDS)
        _codes(ck, TASKS, n, t, "location_regions", places, "current region")
        if t["location_kind"] == "line" and len(_split(t["location_regions"])) == 1:
            ck.problems.append(Problem(TASKS, n, "location_regions", "line_too_short"))

    milestones = _rows(folder, MILESTONES, MILESTONE_COLUMNS, ck)
    _unique(ck, MILESTONES, milestones, lambda m: (m["task"], m["seq"]), "seq")
    parsed: list[dict] = []
    for n, m in milestones:
        f = MILESTONES
        ck.need(f, n, m, "task", "seq", "title_zh", "title_en")
        ck.ref(f, n, m, "task", task_ids, "task")
        seq = m["seq"]
        if seq and not (seq.isdigit() and 1 <= int(seq) <= 99):
            ck.problems.append(Problem(f, n, "seq", "out_of_range",
                                       {"value": seq, "low": 1, "high": 99}))
        due = _date(ck, f, n, m, "due")
        done_on = _date(ck, f, n, m, "done_on")
        # a date and the wording it was read from go together, and so do a completion and its proof
        if m["due"] or m["due_text"]:
            ck.need(f, n, m, "due", "due_text")
        if m["done_on"] or m["evidence_seed"] or m["evidence_sentence"]:
            ck.need(f, n, m, "done_on", "evidence_seed", "evidence_sentence")
        if m["evidence_seed"]:
            ck.choice(f, n, m, "evidence_seed", SEEDS)
        parsed.append({**m, "seq": int(seq) if seq.isdigit() else None, "due": due,
                       "done_on": done_on, "evidence_seed": m["evidence_seed"] or None})
    with_milestones = {m["task"] for _, m in milestones}
    for n, t in tasks:
        if t["id"] and t["id"] not in with_milestones:
            ck.problems.append(Problem(TASKS, n, "id", "no_milestone", {"value": t["id"]}))

    if ck.problems:
        raise ValidationFailed(ck.problems)
    return LedgerSeed(
        units=[{**u, "region": u["region"] or None} for _, u in units],
        tasks=[{**t, "plan": t["plan"] or None, "lead": t["lead"] or None,
                "co_units": _split(t["co_units"]), "indicators": _split(t["indicators"]),
                "location_regions": _split(t["location_regions"])} for _, t in tasks],
        milestones=parsed,
    )


def load_units(folder: Path | str | None = None) -> list[dict]:
    """The units that may lead or co-lead a task (the whole seed is validated)."""
    return load_ledger(folder).units


def load_tasks(folder: Path | str | None = None) -> list[dict]:
    """The seeded tasks (the whole seed is validated)."""
    return load_ledger(folder).tasks


def load_milestones(folder: Path | str | None = None) -> list[dict]:
    """The seeded milestones, in file order (the whole seed is validated)."""
    return load_ledger(folder).milestones
