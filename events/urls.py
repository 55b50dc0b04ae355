from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed.ics", views.feed, name="feed"),
    path("<id:pk>/", views.event_detail, name="detail"),
    path("<id:pk>/register/", views.register, name="register"),
    path("mine/", views.mine, name="mine"),
    path("r/<str:token>/", views.registration, name="registration"),
    path("r/<str:token>/confirm/", views.confirm, name="confirm"),
    path("r/<str:token>/cancel/", views.cancel, name="cancel"),
    path("r/<str:token>/qr.svg", views.qr, name="qr"),
    path("r/<str:token>/event.ics", views.registration_ics, name="registration_ics"),
    path("manage/", views.manage, name="manage"),
    path("manage/<id:pk>/", views.registrations, name="registrations"),
    path("manage/<id:pk>/export.<str:fmt>", views.export, name="export"),
    path("manage/<id:pk>/check-in/", views.checkin, name="checkin"),
    path("manage/<id:pk>/ceremony-pdf/", views.ceremony_pdf, name="ceremony_pdf"),
    path("manage/<id:pk>/invite-certified/", views.invite_certified, name="invite_certified"),
]
