import importlib.util

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from core import pwa
from core import views as core_views

# Machine endpoints and the language switch live outside the language prefix.
urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.switch_language, name="set_language"),
    # The service worker at the root, so its scope is the whole site (core/pwa.py).
    path("sw.js", pwa.service_worker, name="service_worker"),
]
if settings.BENCHMARKING:
    urlpatterns.append(path("bench/", include("benchmarks.urls")))

# Georgian pages have no prefix (/), English pages live under /en/.
localised: list[URLPattern | URLResolver] = [
    path("", core_views.home, name="home"),
    path("manifest.webmanifest", pwa.web_manifest, name="web_manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
for app in settings.DOMAIN_APPS:
    if app in settings.INSTALLED_APPS:
        localised.append(path(f"{app}/", include(f"{app}.urls")))
        if importlib.util.find_spec(f"{app}.machine_urls"):
            urlpatterns.append(path("", include(f"{app}.machine_urls")))

urlpatterns += i18n_patterns(*localised, prefix_default_language=False)

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
handler403 = "core.views.permission_denied"
