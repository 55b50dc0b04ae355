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
    path("t/<int:pk>/", views.topic, name="topic"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/follow/", views.topic_follow, name="topic_follow"),
    path("t/<int:pk>/moderate/", views.topic_moderate, name="topic_moderate"),
    path("p/<int:pk>/", views.post, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/helpful/", views.post_helpful, name="post_helpful"),
    path("p/<int:pk>/flag/", views.post_flag, name="post_flag"),
    path("p/<int:pk>/moderate/", views.post_moderate, name="post_moderate"),
    path("search/", views.search, name="search"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("settings/", views.member_settings, name="settings"),
    # moderation
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/log/", views.moderation_log, name="moderation_log"),
    path("moderation/suspend/<int:user_id>/", views.suspend, name="suspend"),
    path("moderation/suspensions/<int:pk>/lift/", views.lift_suspension, name="lift_suspension"),
    path("moderation/reports/<int:pk>/resolve/", views.resolve_report, name="resolve_report"),
    # practitioners and questions
    path("practitioners/", views.practitioners, name="practitioners"),
    path("practitioners/join/", views.practitioner_join, name="practitioner_join"),
    path("practitioners/<int:pk>/", views.practitioner, name="practitioner"),
    path("questions/", views.questions, name="questions"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("questions/<int:pk>/act/", views.question_act, name="question_act"),
    path("questions/<int:pk>/report/", views.question_report, name="question_report"),
    path("block/<int:user_id>/", views.block_user, name="block_user"),
    path("qa/", views.qa_list, name="qa_list"),
    path("qa/<int:pk>/", views.qa_detail, name="qa_detail"),
    # case library
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<slug:slug>/", views.case, name="case"),
    path("cases/<slug:slug>/edit/", views.case_edit, name="case_edit"),
    path("cases/<slug:slug>/action/", views.case_action, name="case_action"),
    path("cases/<slug:slug>/files/<int:file_id>/", views.case_file, name="case_file"),
    # opportunities
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/archive/", views.opportunities_archive, name="opportunities_archive"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity, name="opportunity"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
]
