from django.urls import path

from credentials import views

app_name = "credentials"

urlpatterns = [
    path("", views.my_credentials, name="my_credentials"),
    path("<uuid:pk>/visibility/", views.set_visibility, name="set_visibility"),
    path("c/<uuid:pk>/", views.verify, name="verify"),
    path("verify/", views.verifier, name="verifier"),
    path("issuer/", views.issuer, name="issuer"),
    path("achievements/<str:key>/", views.achievement_detail, name="achievement_detail"),
    path("manage/", views.manage, name="manage"),
    path("manage/<uuid:pk>/revoke/", views.revoke, name="revoke"),
    path("manage/<uuid:pk>/reissue/", views.reissue, name="reissue"),
    path("manage/bulk/", views.bulk_issue, name="bulk_issue"),
    path("manage/ceremonies/", views.ceremonies, name="ceremonies"),
    path("manage/ceremonies/<id:pk>/", views.ceremony_detail, name="ceremony_detail"),
    path("manage/ceremonies/<id:pk>/retry/", views.ceremony_retry, name="ceremony_retry"),
    path("manage/ceremonies/<id:pk>/<str:kind>/", views.ceremony_download, name="ceremony_download"),
]
