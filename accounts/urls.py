from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("me/profile/edit/", views.profile_edit, name="profile_edit"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/invite/", views.organisation_invite, name="organisation_invite"),
    path(
        "organisations/<slug:slug>/members/<id:membership_id>/",
        views.organisation_member,
        name="organisation_member",
    ),
    path("me/invitations/<uuid:token>/", views.accept_invitation, name="accept_invitation"),
]
