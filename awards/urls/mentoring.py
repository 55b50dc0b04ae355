"""Mentoring URLs."""

from django.urls import URLPattern, path

from awards.views import mentoring as views

urlpatterns: list[URLPattern] = [
    path("mentoring/", views.overview, name="mentoring_overview"),
    path("mentoring/mine/", views.mine, name="mentoring_mine"),
    path("mentoring/new/", views.open_new, name="mentorship_open"),
    path("mentoring/<id:pk>/", views.detail, name="mentorship_detail"),
    path("mentoring/<id:pk>/declare/", views.declare, name="mentorship_declare"),
    path("mentoring/<id:pk>/assign/", views.assign, name="mentorship_assign"),
    path("mentoring/<id:pk>/end/", views.end, name="mentorship_end"),
    path("mentoring/<id:pk>/plan/", views.plan, name="mentorship_plan"),
    path("mentoring/<id:pk>/sessions/new/", views.session_add, name="mentoring_session_add"),
    path("mentoring/<id:pk>/actions/new/", views.action_add, name="mentoring_action_add"),
    path("mentoring/<id:pk>/risks/new/", views.risk_add, name="mentoring_risk_add"),
    path("mentoring/<id:pk>/messages/", views.message, name="mentoring_message"),
    path("mentoring/actions/<id:pk>/status/", views.action_status, name="mentoring_action_status"),
    path("mentoring/risks/<id:pk>/acknowledge/", views.risk_ack, name="mentoring_risk_ack"),
]
