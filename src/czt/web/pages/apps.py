from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "czt.web.pages"
    label = "pages"
    verbose_name = "页面 Pages"
