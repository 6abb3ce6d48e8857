"""挂图作战: the tasks on the map of the 23 districts and counties, coloured by status.

A task's place is a list of region codes; points and areas are drawn at the mean of their
regions' centroids and lines through the centroids in order, so no coordinate is made up.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from czt.ledger import status as rules
from czt.web.ledger.clock import today
from czt.web.ledger.views.tasks import filter_choices, filtered, reader
from czt.web.pages.analysis_inputs import centroids
from czt.web.pages.context import lang_of


def map_items(rows, lang: str) -> list[dict]:
    codes = sorted({c for s in rows for c in s.task.location_regions})
    where = {c: (lon, lat) for c, (lat, lon) in centroids(codes).items()}
    items = []
    for s in rows:
        t = s.task
        points = [where[c] for c in t.location_regions if c in where]
        if not points:
            continue
        if t.location_kind != "line" or len(points) < 2:
            lon = sum(p[0] for p in points) / len(points)
            lat = sum(p[1] for p in points) / len(points)
            points = [(lon, lat)]
        items.append({"id": t.id, "title": t.title_en if lang == "en" and t.title_en
                      else t.title_zh, "status": s.status, "label": s.label,
                      "colour": s.colour, "lead": s.lead_name or "",
                      "kind": "line" if len(points) > 1 else "point",
                      "coords": [[round(x, 5), round(y, 5)] for x, y in points],
                      "url": reverse("task", args=[t.id])})
    return items


@reader
def ledger_map(request):
    lang = lang_of(request)
    rows = filtered(request)
    items = map_items(rows, lang)
    located = {i["id"] for i in items}
    return render(request, "ledger/map.html", {
        "payload": {"items": items, "legend": [
            {"status": st, "label": rules.label(st, lang), "colour": rules.COLOURS[st]}
            for st in rules.STATUSES]},
        "n_tasks": len(rows), "unlocated": [r for r in rows if r.task.id not in located],
        "today": today(), **filter_choices(request)})
