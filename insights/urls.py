from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:figure>/<slug:fmt>/", views.export, name="export"),
    path("refresh/", views.refresh, name="refresh"),
]
