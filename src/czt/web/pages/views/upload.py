"""上传: reporters upload CSV/XLSX; errors come back as a table, nothing is written."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from czt.messages import ValidationFailed
from czt.store.models import ImportBatch
from czt.web.accounts.permissions import read_scope, role_of, write_scope
from czt.web.pages.context import lang_of
from czt.web.pages.uploads import ingest_uploads


@login_required
def upload_page(request):
    if write_scope(request.user) is None:
        raise PermissionDenied
    lang = lang_of(request)
    context: dict = {}
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            context["error"] = _("Choose at least one CSV or XLSX file.")
        else:
            try:
                context["report"] = ingest_uploads(request.user, files, lang)
            except ValidationFailed as exc:
                ordered = sorted(exc.problems, key=lambda p: (p.file, p.row or 0))
                context["problems"] = [p.as_dict(lang) for p in ordered]
                context["n_files"] = len(files)
    batches = ImportBatch.objects.order_by("-imported_at")
    if role_of(request.user) != "province_admin" and read_scope(request.user) is not None:
        batches = batches.filter(imported_by=request.user.get_username())
    context["batches"] = batches[:20]
    return render(request, "pages/upload.html", context)
