"""Uploads from the page and the API: the same validation as ``czt ingest``, plus the
uploader's scope, all-or-nothing, recorded in the audit record."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from czt.ingest.load import IngestReport, ingest_files
from czt.ingest.validate import Checked
from czt.messages import Problem, ValidationFailed
from czt.store.models import Region
from czt.web.accounts.permissions import Scope, can_import_targets, write_scope
from czt.web.audit.models import record

MAX_MB = 50


def _scope_text(scope: Scope, lang: str) -> str:
    parts = []
    if scope.regions is not None:
        cities = Region.objects.filter(code__in=scope.regions, level="city")
        parts.append("、".join((c.name_en if lang == "en" else c.name_zh) for c in cities)
                     or "—")
    if scope.indicators is not None:
        parts.append(f"{len(scope.indicators)} " + ("indicators" if lang == "en" else "项指标"))
    return "; ".join(parts) or ("everything" if lang == "en" else "全部")


def authorizer(user, lang: str):
    """Problems for each row outside the uploader's scope: the whole upload is refused."""
    scope = write_scope(user)

    def authorize(name: str, checked: Checked) -> list[Problem]:
        # vectorised: a provincial upload can carry hundreds of thousands of rows
        obs = checked.observations
        if scope.regions is not None:
            bad_region = ~obs["region"].isin(scope.regions)
        else:
            bad_region = pd.Series(False, index=obs.index)
        bad_indicator = ~bad_region & (~obs["indicator"].isin(scope.indicators)
                                       if scope.indicators is not None else False)
        text = _scope_text(scope, lang) if (bad_region | bad_indicator).any() else ""
        problems = [Problem(name, int(row), "region_code", "not_your_region",
                            {"value": value, "scope": text})
                    for row, value in zip(obs.loc[bad_region, "row"],
                                          obs.loc[bad_region, "region"], strict=True)]
        problems += [Problem(name, int(row), "indicator", "not_your_indicator",
                             {"value": value, "scope": text})
                     for row, value in zip(obs.loc[bad_indicator, "row"],
                                           obs.loc[bad_indicator, "indicator"], strict=True)]
        if len(checked.targets) and not can_import_targets(user):
            problems += [Problem(name, int(row), "indicator", "targets_admin_only")
                         for row in checked.targets["row"]]
        return problems

    return authorize


def ingest_uploads(user, files, lang: str) -> IngestReport:
    """Write uploaded files (Django UploadedFile objects) to a temporary folder and ingest."""
    problems = []
    for f in files:
        if Path(f.name).suffix.lower() not in (".csv", ".xlsx"):
            problems.append(Problem(f.name, None, None, "bad_extension"))
        elif f.size > MAX_MB * 1024 * 1024:
            problems.append(Problem(f.name, None, None, "too_large", {"value": MAX_MB}))
    if problems:
        raise ValidationFailed(problems)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, f in enumerate(files):
            path = Path(tmp) / f"{n}{Path(f.name).suffix.lower()}"
            with open(path, "wb") as out:
                for chunk in f.chunks():
                    out.write(chunk)
            paths.append(path)
        report = ingest_files(paths, user=user.get_username(), names=[f.name for f in files],
                              authorize=authorizer(user, lang))
    record(user, "import", model="store.ImportBatch", object_id=",".join(report.files),
           object_repr=", ".join(report.files),
           after={"rows": report.rows, "created": report.created,
                  "new_vintages": report.new_vintages, "unchanged": report.unchanged})
    return report

