"""A cached page that holds a form (no page of the site does for visitors now), for tests/core/test_page_cache.py."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from civichub.urls import urlpatterns as site_urlpatterns
from core.cache import cache_anonymous_page

_PAGE = (
    "<!doctype html><title>form</title><main><h1>A visitor's form</h1>"
    '<form method="post" action="/i18n/setlang/">{% csrf_token %}<input name="language" value="en">'
    '<input name="next" value="/"><button>go</button></form><p>' + "padding " * 60 + "</p></main>"
)


@cache_anonymous_page(timeout=60)
def form_page(request):
    return HttpResponse(engines["django"].from_string(_PAGE).render({}, request))


urlpatterns = [path("form/", form_page), *site_urlpatterns]
