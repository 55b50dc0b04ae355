"""Machine endpoints (no language prefix). Names carry the ``credentials_`` prefix (no namespace here)."""

from django.urls import path, re_path

from credentials import machine_views

urlpatterns = [
    path("ob/issuer", machine_views.issuer_json, name="credentials_issuer_json"),
    path("ob/keys", machine_views.jwks, name="credentials_jwks"),
    path("ob/keys/<str:kid>", machine_views.jwk, name="credentials_jwk"),
    path("ob/achievements/<str:key>", machine_views.achievement_json, name="credentials_achievement_json"),
    path("ob/credentials/<uuid:pk>", machine_views.credential_json, name="credentials_credential_json"),
    re_path(
        r"^ob/credentials/(?P<pk>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(?P<fmt>json|jwt|pdf|png)$",
        machine_views.credential_download,
        name="credentials_download",
    ),
    path("ob/status/revocation", machine_views.status_list, name="credentials_status_list"),
    path("v/<str:code>", machine_views.short_link, name="credentials_short"),
]
