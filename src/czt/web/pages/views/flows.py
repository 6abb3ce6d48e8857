"""Page under construction in this change; replaced before the change lands."""

from django.http import Http404


def flows_page(request):
    raise Http404("flows")
