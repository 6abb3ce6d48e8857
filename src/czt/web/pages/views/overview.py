"""总览: the 2025 scoreboard by action area, the area's headline figures, data freshness."""

from __future__ import annotations

import math

from django.shortcuts import render
from django.utils.translation import gettext as _

from czt.methods.progress import STATUS_LABELS
from czt.monitoring import scoreboard
from czt.store.models import Area, Plan
from czt.web.cached import remember
from czt.web.ledger.clock import today
from czt.web.ledger.states import LAGGING, tasks_by_indicator
from czt.web.pages.context import lang_of, named
from czt.web.pages.headlines import latest_data_date, latest_total, quoted

STATUS_ORDER = list(STATUS_LABELS)
TARGET_YEAR = 2025


def status_legend(lang: str) -> list[dict]:
    return [{"code": s, "label": STATUS_LABELS[s][1 if lang == "en" else 0]}
            for s in STATUS_ORDER]


def overview(request):
    lang = lang_of(request)
    board = remember(f"scoreboard|{lang}", lambda: scoreboard(lang=lang))
    board = board[board["target_year"] == TARGET_YEAR] if not board.empty else board
    plans = {p.id: named(p, lang) for p in Plan.objects.all()}
    rows = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            | {"plan_name": plans.get(r["plan"], r["plan"])} for r in board.to_dict("records")]
    groups = []
    for area in Area.objects.order_by("order"):
        mine = [r for r in rows if r["area"] == area.code]
        if mine:
            groups.append({"area": named(area, lang), "code": area.code, "rows": mine})
    # 任务关联: for each lagging target, the ledger tasks meant to move its indicator
    lagging = sorted({r["indicator"] for r in rows if r["status"] in LAGGING})
    behind = tasks_by_indicator(request.user, lagging, today(), lang)
    for r in rows:
        r["tasks"] = behind.get(r["indicator"], []) if r["status"] in LAGGING else []
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUS_ORDER}
    headlines = remember(f"headlines|{lang}", lambda: [h for h in (
        latest_total("gdp", _("Chang-Zhu-Tan GDP"), lang),
        latest_total("resident_population", _("Chang-Zhu-Tan resident population"), lang))
        if h])
    return render(request, "pages/overview.html", {
        "groups": groups, "counts": [{**s, "n": counts[s["code"]]} for s in status_legend(lang)],
        "n_targets": len(rows), "headlines": headlines, "quoted": quoted(lang),
        "freshness": latest_data_date(), "target_year": TARGET_YEAR,
    })
