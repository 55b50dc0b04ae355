"""Projects URLs."""

from django.urls import path

from awards.views import projects as views

urlpatterns = [
    path("projects/", views.my_projects, name="my_projects"),
    path("projects/<id:pk>/", views.project, name="project"),
    path("projects/<id:pk>/editors/", views.project_editors, name="project_editors"),
    path("projects/reports/<id:pk>/", views.report, name="report"),
    path("projects/reports/<id:pk>/edit/", views.report_edit, name="report_edit"),
    path("projects/reports/<id:pk>/autosave/", views.report_autosave, name="report_autosave"),
    path("projects/reports/<id:pk>/versions/<id:number>/", views.report_version, name="report_version"),
    path("projects/reports/<id:pk>/receipts/<id:receipt_pk>/", views.receipt, name="receipt"),
    path(
        "projects/reports/<id:pk>/receipts/<id:receipt_pk>/remove/",
        views.receipt_remove,
        name="receipt_remove",
    ),
    path("projects/reports/<id:pk>/review/", views.report_review, name="report_review"),
    path("projects/staff/", views.staff_projects, name="staff_projects"),
    path("projects/staff/export.csv", views.projects_export_csv, name="projects_export_csv"),
    path("projects/staff/export.xlsx", views.projects_export_xlsx, name="projects_export_xlsx"),
    path("projects/staff/<id:pk>/", views.project_manage, name="project_manage"),
    path("projects/staff/<id:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("projects/staff/<id:pk>/tranches/", views.tranche_add, name="tranche_add"),
    path("projects/staff/tranches/<id:pk>/pay/", views.tranche_pay, name="tranche_pay"),
]
