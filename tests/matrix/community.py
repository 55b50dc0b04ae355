"""Permission-matrix rows of the community domain: forum, moderation, practitioners, questions, cases, opportunities.

``build`` makes: a topic by Nino (learner) with a reply by Giorgi (other), a hidden post, a practitioner
(not a persona) with a question from Nino, a published and a draft case by staff, an opportunity, a
notification for Nino, a suspension and a question report for moderators to act on.
"""

from datetime import timedelta

from django.utils import timezone

from community import services
from community.models import Category, Opportunity, Question
from tests.factories import UserFactory
from tests.matrix import PUBLIC, SIGNED_IN, Row, expect

MODERATOR_ONLY = expect(403, anon=302, staff=200)
MODERATOR_POST = expect(403, anon=302, staff=302)
OWNER_ONLY = expect(404, anon=302, learner=200)


def build(world):
    from learning.models import Course

    services.ensure_default_categories()  # flushed by any earlier transactional (browser) test
    general = Category.objects.get(slug="general")
    world.category = general
    world.topic = services.start_topic(
        category=general, author=world.learner, title="ბიუჯეტის განხილვა", body="პირველი პოსტი"
    )
    world.first_post = world.topic.posts.get(number=1)
    world.reply = services.reply(topic=world.topic, author=world.other, body="პასუხი")
    hidden = services.reply(topic=world.topic, author=world.other, body="spam")
    world.hidden_post = services.moderate_post(post=hidden, moderator=world.staff, action="hide")
    world.community_course = Course.objects.create(
        title="საჯარო ფინანსები", slug="public-finance", summary="კურსი", published=True
    )
    person = UserFactory(email="practitioner@example.org", full_name_latin="Levan Practitioner")
    world.practitioner = services.save_practitioner(
        user=person,
        kind="practitioner",
        bio="ბიო",
        expertise=["civic_budget"],
        regions=["imereti"],
        languages=["ka"],
        accepting_questions=True,
    )
    world.question = services.ask_question(
        asker=world.learner, practitioner=world.practitioner, title="როგორ დავიწყო?", body="დეტალები"
    )
    answered = services.ask_question(
        asker=world.other, practitioner=world.practitioner, title="Published question here", body="body"
    )
    services.post_question_message(question=answered, author=person, body="answer")
    for user, action in ((world.other, "mark_answered"), (world.other, "consent"), (person, "consent")):
        services.change_question(question=answered, user=user, action=action)
    world.published_question = Question.objects.get(pk=answered.pk)
    world.case = services.save_case(
        author=world.staff,
        title="სამოქალაქო ბიუჯეტი ქუთაისში",
        mechanism="civic_budget",
        region="imereti",
        municipality="ქუთაისი",
        year=2023,
        summary="s",
        what_happened="w",
        outcome="o",
        lessons="l",
        links="",
    )
    services.change_case(case=world.case, user=world.staff, action="submit")
    services.change_case(case=world.case, user=world.staff, action="publish")
    world.draft_case = services.save_case(
        author=world.staff,
        title="Draft case",
        mechanism="petition",
        region="tbilisi",
        year=2022,
        summary="s",
        what_happened="w",
        outcome="o",
        lessons="l",
        links="",
    )
    world.opportunity = Opportunity.objects.create(
        title="მონაწილეობის აკადემია",
        organiser="CSO",
        deadline=timezone.now() + timedelta(days=10),
        link="https://example.org/academy",
        description="d",
    )
    world.notification = world.learner.community_notifications.first()
    troll = UserFactory(email="troll@example.org")
    world.troll = troll
    world.suspension = services.suspend(
        user=troll, moderator=world.staff, reason="spam", ends_at=timezone.now() + timedelta(days=3)
    )
    world.report = services.report_question(question=world.question, reporter=world.learner, reason="rude")


ROWS = [
    # forum
    Row("community:index", PUBLIC),
    Row("community:category", PUBLIC, args=lambda w: [w.category.slug]),
    Row("community:category_follow", expect(302), method="post", args=lambda w: [w.category.slug]),
    Row("community:new_topic", SIGNED_IN, args=lambda w: [w.category.slug]),
    Row("community:course_category", expect(302), args=lambda w: [w.community_course.slug]),
    Row("community:course_category", expect(404), args=lambda w: ["no-such-course"], note="unknown course"),
    Row("community:topic", PUBLIC, args=lambda w: [w.topic.pk]),
    Row("community:reply", SIGNED_IN, args=lambda w: [w.topic.pk]),
    Row("community:topic_follow", expect(302), method="post", args=lambda w: [w.topic.pk]),
    Row(
        "community:topic_moderate",
        MODERATOR_POST,
        method="post",
        args=lambda w: [w.topic.pk],
        data=lambda w: {"action": "lock"},
    ),
    Row("community:post", expect(302), args=lambda w: [w.first_post.pk]),
    Row("community:post", expect(404, staff=302), args=lambda w: [w.hidden_post.pk], note="hidden post"),
    Row(
        "community:post_history",
        expect(404, staff=200),
        args=lambda w: [w.hidden_post.pk],
        note="hidden post",
    ),
    Row("community:post_history", PUBLIC, args=lambda w: [w.first_post.pk]),
    Row("community:post_edit", OWNER_ONLY, args=lambda w: [w.first_post.pk]),
    Row("community:post_helpful", expect(302), method="post", args=lambda w: [w.reply.pk]),
    Row("community:post_flag", SIGNED_IN, args=lambda w: [w.reply.pk]),
    Row(
        "community:post_flag",
        expect(404, anon=302, staff=200),
        args=lambda w: [w.hidden_post.pk],
        note="hidden post",
    ),
    Row(
        "community:post_moderate",
        MODERATOR_POST,
        method="post",
        args=lambda w: [w.reply.pk],
        data=lambda w: {"action": "hide"},
    ),
    Row("community:search", PUBLIC, query="?q=ბიუჯ"),
    Row("community:notifications", SIGNED_IN),
    Row("community:notifications_read", expect(302), method="post"),
    Row(
        "community:notification_open", expect(404, anon=302, learner=302), args=lambda w: [w.notification.pk]
    ),
    Row("community:settings", SIGNED_IN),
    # moderation
    Row("community:moderation", MODERATOR_ONLY),
    Row("community:moderation_log", MODERATOR_ONLY),
    Row("community:suspend", MODERATOR_ONLY, args=lambda w: [w.troll.pk]),
    Row("community:lift_suspension", MODERATOR_POST, method="post", args=lambda w: [w.suspension.pk]),
    Row("community:resolve_report", MODERATOR_POST, method="post", args=lambda w: [w.report.pk]),
    # practitioners and questions
    Row("community:practitioners", PUBLIC),
    Row("community:practitioner", PUBLIC, args=lambda w: [w.practitioner.pk]),
    Row("community:practitioner_join", SIGNED_IN),
    Row("community:questions", SIGNED_IN),
    Row("community:ask", SIGNED_IN),
    Row(
        "community:question",
        expect(404, anon=302, learner=200, staff=200),
        args=lambda w: [w.question.pk],
        note="private; moderators only once reported",
    ),
    Row(
        "community:question_act",
        expect(404, anon=302, learner=302, staff=302),
        method="post",
        args=lambda w: [w.question.pk],
        data=lambda w: {"action": "close"},
    ),
    Row(
        "community:question_report",
        expect(404, anon=302, learner=200, staff=200),
        args=lambda w: [w.question.pk],
    ),
    Row("community:block_user", expect(302), method="post", args=lambda w: [w.troll.pk]),
    Row("community:qa_list", PUBLIC),
    Row("community:qa_detail", PUBLIC, args=lambda w: [w.published_question.pk]),
    Row("community:qa_detail", expect(404), args=lambda w: [w.question.pk], note="private question"),
    # cases
    Row("community:cases", PUBLIC),
    Row("community:case_new", expect(403, anon=302, staff=200)),
    Row("community:case", PUBLIC, args=lambda w: [w.case.slug]),
    Row("community:case", expect(404, staff=200), args=lambda w: [w.draft_case.slug], note="draft"),
    Row("community:case_edit", expect(404, anon=302, staff=200), args=lambda w: [w.draft_case.slug]),
    Row(
        "community:case_action",
        expect(404, anon=302, staff=302),
        method="post",
        args=lambda w: [w.draft_case.slug],
        data=lambda w: {"action": "submit"},
    ),
    Row("community:case_file", expect(404), args=lambda w: [w.case.slug, 999999], note="no such file"),
    # opportunities
    Row("community:opportunities", PUBLIC),
    Row("community:opportunities_archive", PUBLIC),
    Row("community:opportunity", PUBLIC, args=lambda w: [w.opportunity.pk]),
    Row("community:opportunity_new", expect(403, anon=302, staff=200)),
    Row("community:opportunity_edit", expect(403, anon=302, staff=200), args=lambda w: [w.opportunity.pk]),
]
