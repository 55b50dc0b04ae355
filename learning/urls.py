from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my/", views.my_learning, name="my_learning"),
    # Under my/ (a course can never be called "my"), so no course address is shadowed.
    path("my/sync/", views.offline_sync, name="offline_sync"),
    path("<slug:slug>/", views.course_detail, name="course_detail"),
    path("<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("<slug:slug>/unenrol/", views.unenrol, name="unenrol"),
    path("<slug:slug>/download/", views.download, name="download"),
    path("<slug:slug>/offline.json", views.offline_manifest, name="offline_manifest"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/report.csv", views.report_csv, name="report_csv"),
    path("<slug:slug>/<slug:lesson_slug>/", views.lesson, name="lesson"),
    path("<slug:slug>/<slug:lesson_slug>/complete/", views.lesson_complete, name="lesson_complete"),
    path("<slug:slug>/<slug:lesson_slug>/quiz/", views.quiz_submit, name="quiz_submit"),
    path("<slug:slug>/<slug:lesson_slug>/attempts/<id:number>/", views.attempt, name="attempt"),
    path("<slug:slug>/<slug:lesson_slug>/files/<id:pk>/", views.attachment, name="attachment"),
]
