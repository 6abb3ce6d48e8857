from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from czt.web.api import api

admin.site.site_header = _("CZT Observatory · back office")
admin.site.site_title = _("CZT Observatory")

urlpatterns = [
    path("", include("czt.web.pages.urls")),
    path("", include("czt.web.ledger.urls")),
    path("", include("czt.web.assessment.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
