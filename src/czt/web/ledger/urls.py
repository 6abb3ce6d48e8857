from django.urls import path

from czt.web.ledger.views import maps, meetings, tasks, workbooks

urlpatterns = [
    path("ledger/", tasks.ledger_page, name="ledger"),
    path("ledger/map/", maps.ledger_map, name="ledger_map"),
    path("ledger/import/", workbooks.import_ledger, name="ledger_import"),
    path("ledger/reports/", workbooks.import_reports, name="report_import"),
    path("ledger/evidence/<int:report_id>/", tasks.evidence, name="evidence"),
    path("ledger/<str:task_id>/", tasks.task_page, name="task"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:meeting_id>/", meetings.meeting_page, name="meeting"),
]
