from django.urls import path

from czt.web.pages.views import (
    analysis,
    cities,
    coverage,
    flows,
    indicators,
    maps,
    overview,
    upload,
)

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/<str:code>/", indicators.indicator_detail, name="indicator"),
    path("cities/", cities.city_comparison, name="cities"),
    path("cities/<str:code>/", cities.city_detail, name="city"),
    path("map/", maps.map_page, name="map"),
    path("map/boundaries.geojson", maps.boundaries, name="boundaries"),
    path("analysis/", analysis.analysis_page, name="analysis"),
    path("flows/", flows.flows_page, name="flows"),
    path("coverage/", coverage.coverage_page, name="coverage"),
    path("upload/", upload.upload_page, name="upload"),
]
