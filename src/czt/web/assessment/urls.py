from django.urls import path

from czt.web.assessment import views

urlpatterns = [
    path("assessment/", views.ranking, name="assessment"),
    path("assessment/method/", views.method_page, name="assessment_method"),
    path("assessment/<str:unit>/", views.unit_detail, name="assessment_unit"),
]
