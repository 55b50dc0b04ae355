from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    # forum
    path("", views.index, name="index"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("c/<slug:slug>/follow/", views.category_follow, name="category_follow"),
    path("c/<slug:slug>/new/", views.new_topic, name="new_topic"),
    path("course/<slug:course_slug>/", views.course_category, name="course_category"),
    path("t/<id:pk>/", views.topic, name="topic"),
    path("t/<id:pk>/reply/", views.reply, name="reply"),
    path("t/<id:pk>/follow/", views.topic_follow, name="topic_follow"),
    path("t/<id:pk>/moderate/", views.topic_moderate, name="topic_moderate"),
    path("p/<id:pk>/", views.post, name="post"),
    path("p/<id:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<id:pk>/history/", views.post_history, name="post_history"),
    path("p/<id:pk>/helpful/", views.post_helpful, name="post_helpful"),
    path("p/<id:pk>/flag/", views.post_flag, name="post_flag"),
    path("p/<id:pk>/moderate/", views.post_moderate, name="post_moderate"),
    path("search/", views.search, name="search"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<id:pk>/", views.notification_open, name="notification_open"),
    path("settings/", views.member_settings, name="settings"),
    # moderation
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/log/", views.moderation_log, name="moderation_log"),
    path("moderation/suspend/<id:user_id>/", views.suspend, name="suspend"),
    path("moderation/suspensions/<id:pk>/lift/", views.lift_suspension, name="lift_suspension"),
    path("moderation/reports/<id:pk>/resolve/", views.resolve_report, name="resolve_report"),
    # practitioners and questions
    path("practitioners/", views.practitioners, name="practitioners"),
    path("practitioners/join/", views.practitioner_join, name="practitioner_join"),
    path("practitioners/<id:pk>/", views.practitioner, name="practitioner"),
    path("questions/", views.questions, name="questions"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/<id:pk>/", views.question, name="question"),
    path("questions/<id:pk>/act/", views.question_act, name="question_act"),
    path("questions/<id:pk>/report/", views.question_report, name="question_report"),
    path("block/<id:user_id>/", views.block_user, name="block_user"),
    path("qa/", views.qa_list, name="qa_list"),
    path("qa/<id:pk>/", views.qa_detail, name="qa_detail"),
    # case library
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<slug:slug>/", views.case, name="case"),
    path("cases/<slug:slug>/edit/", views.case_edit, name="case_edit"),
    path("cases/<slug:slug>/action/", views.case_action, name="case_action"),
    path("cases/<slug:slug>/files/<id:file_id>/", views.case_file, name="case_file"),
    # opportunities
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/archive/", views.opportunities_archive, name="opportunities_archive"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<id:pk>/", views.opportunity, name="opportunity"),
    path("opportunities/<id:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
]
