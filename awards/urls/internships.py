"""Internships URLs (under /awards/internships/)."""

from django.urls import path

from awards.views import internships as views

P = "internships/"

urlpatterns = [
    path(f"{P}placements/", views.placements, name="placements"),
    path(f"{P}placements/<id:pk>/", views.placement_detail, name="placement_detail"),
    path(f"{P}host/", views.host_placements, name="host_placements"),
    path(f"{P}host/new/", views.placement_create, name="placement_create"),
    path(f"{P}host/<id:pk>/edit/", views.placement_edit, name="placement_edit"),
    path(f"{P}host/<id:pk>/status/", views.placement_status, name="placement_status"),
    path(f"{P}host/<id:pk>/select/", views.placement_select, name="placement_select"),
    path(f"{P}mine/", views.my_internships, name="my_internships"),
    path(f"{P}<id:pk>/", views.internship_detail, name="internship_detail"),
    path(f"{P}<id:pk>/agreement/", views.internship_agreement, name="internship_agreement"),
    path(f"{P}<id:pk>/acknowledge/", views.internship_acknowledge, name="internship_acknowledge"),
    path(f"{P}<id:pk>/discontinue/", views.internship_discontinue, name="internship_discontinue"),
    path(f"{P}<id:pk>/evaluate/<str:kind>/", views.internship_evaluate, name="internship_evaluate"),
    path(f"{P}<id:pk>/reflection/", views.internship_reflection, name="internship_reflection"),
    path(f"{P}staff/", views.internships_overview, name="internships_overview"),
    path(f"{P}staff/export/<str:what>.<str:fmt>", views.internships_export, name="internships_export"),
]
