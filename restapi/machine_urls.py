"""The REST API without a language prefix: /api/v1/ (the language of answers follows Accept-Language)."""

from django.urls import path
from django.views.generic import RedirectView

from restapi.endpoints import urls as api_urls

urlpatterns = [
    # /api/v1/ and /api/v1/docs lead people to the documentation page (ninja's own docs page loads a CDN).
    path("api/v1/", RedirectView.as_view(pattern_name="restapi:docs"), name="restapi_api_index"),
    path("api/v1/docs", RedirectView.as_view(pattern_name="restapi:docs"), name="restapi_api_docs"),
    path("api/v1/", api_urls()),
]
