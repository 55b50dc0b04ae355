from django.urls import path

from calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("my/", views.my_applications, name="my_applications"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<id:pk>/", views.review, name="review"),
    path("outbox/", views.outbox, name="outbox"),
    path("applications/<id:pk>/", views.application_detail, name="application_detail"),
    path("applications/<id:pk>/edit/", views.application_form, name="application_form"),
    path("applications/<id:pk>/autosave/", views.application_autosave, name="application_autosave"),
    path("applications/<id:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<id:pk>/files/<id:attachment_pk>/", views.attachment, name="attachment"),
    path("manage/applications/<id:pk>/", views.manage_application, name="manage_application"),
    path("manage/applications/<id:pk>/act/", views.staff_action, name="staff_action"),
    path("manage/applications/<id:pk>/assign/", views.assign, name="assign"),
    # --- feedback
    path("manage/applications/<id:pk>/feedback/", views.feedback, name="feedback"),
    path("manage/decline-reasons/", views.decline_statistics, name="decline_statistics"),
    path("manage/decline-reasons.csv", views.decline_statistics_csv, name="decline_statistics_csv"),
    path("manage/decline-reasons.xlsx", views.decline_statistics_xlsx, name="decline_statistics_xlsx"),
    path("<slug:slug>/manage/decline-reasons/", views.decline_reasons, name="decline_reasons"),
    # --- end feedback
    # --- stages
    path("applications/<id:pk>/team/", views.collaborators, name="collaborators"),
    path("manage/applications/<id:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("<slug:slug>/manage/shortlist/", views.bulk_shortlist, name="bulk_shortlist"),
    # --- end stages
    path("<slug:slug>/", views.call_detail, name="call_detail"),
    path("<slug:slug>/apply/", views.start_application, name="start_application"),
    path("<slug:slug>/manage/", views.manage_call, name="manage_call"),
    path("<slug:slug>/manage/auto-assign/", views.auto_assign, name="auto_assign"),
    path("<slug:slug>/manage/decide/", views.bulk_decide, name="bulk_decide"),
    path("<slug:slug>/manage/export.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/manage/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<slug:slug>/manage/attachments.zip", views.export_attachments, name="export_attachments"),
    path("<slug:slug>/reviews/export.csv", views.reviewer_export, name="reviewer_export"),
    # --- review
    path("<slug:slug>/manage/late-reviews/", views.late_reviews, name="late_reviews"),
]
