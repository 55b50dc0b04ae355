"""Every rich-text field of the community sanitises each payload of the corpus: no dangerous tag, handler or URL.

The browser test (tests/browser/test_community.py) renders the same corpus in Chromium and checks no script runs.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Opportunity
from core.markdown import render_markdown
from tests.community.xss_check import main_of, problems_in
from tests.community.xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("nofollow", [False, True])
def test_markdown_rendering_removes_every_dangerous_construct(payload, nofollow):
    assert problems_in(render_markdown(payload, nofollow=nofollow), strict=True) == []


def _joined():
    return "\n\n".join(PAYLOADS)


def _all_clean(client, url):
    response = client.get(url)
    assert response.status_code == 200
    main = main_of(response.content.decode())
    assert problems_in(main) == [], url
    return main


def test_forum_posts_titles_edits_and_flags_render_the_corpus_safely(general, old_account, staff, client_for):
    author = old_account()
    newcomer = old_account()
    newcomer.date_joined = timezone.now()
    newcomer.save(update_fields=["date_joined"])
    topic = services.start_topic(
        category=general, author=author, title="<script>window.__xss=1</script> თემა", body=_joined()
    )
    for payload in PAYLOADS[:4]:
        services.reply(topic=topic, author=newcomer, body=payload)  # nofollow rendering path
    post = services.reply(topic=topic, author=author, body="ორიგინალი")
    services.edit_post(post=post, editor=author, body=_joined())
    services.flag_post(post=post, reporter=staff, reason=_joined())
    client = client_for(staff)
    page = _all_clean(client, topic.get_absolute_url())
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt; თემა" in page
    _all_clean(client, reverse("community:post_history", args=[post.pk]))
    _all_clean(client, reverse("community:moderation"))
    _all_clean(client, reverse("community:reply", args=[topic.pk]) + f"?quote={post.pk}")
    _all_clean(client, reverse("community:search") + "?q=window")
    _all_clean(client, reverse("community:category", args=["general"]))


def test_questions_answers_bios_and_published_qa_render_the_corpus_safely(learner, client_for):
    user = learner.__class__.objects.create_user("p@example.org", "x", full_name_latin="P")
    practitioner = services.save_practitioner(
        user=user,
        kind="practitioner",
        bio=_joined(),
        expertise=["civic_budget"],
        regions=["imereti"],
        languages=["ka"],
        accepting_questions=True,
    )
    question = services.ask_question(
        asker=learner, practitioner=practitioner, title="<img src=x onerror=alert(1)>", body=_joined()
    )
    services.post_question_message(question=question, author=user, body=_joined())
    services.change_question(question=question, user=learner, action="mark_answered")
    services.change_question(
        question=question, user=learner, action="thank", thanks="<script>alert(1)</script>"
    )
    services.change_question(question=question, user=learner, action="consent")
    services.change_question(question=question, user=user, action="consent")
    client = client_for(learner)
    _all_clean(client, question.get_absolute_url())
    _all_clean(client, reverse("community:qa_detail", args=[question.pk]))
    _all_clean(client, reverse("community:practitioner", args=[practitioner.pk]))
    _all_clean(client, reverse("community:qa_list"))


def test_cases_and_opportunities_render_the_corpus_safely(staff, client_for):
    case = services.save_case(
        author=staff,
        title="<svg onload=alert(1)>",
        mechanism="civic_budget",
        region="imereti",
        municipality="<b>x</b>",
        year=2022,
        summary=_joined(),
        what_happened=_joined(),
        outcome=_joined(),
        lessons=_joined(),
        links="https://example.org",
    )
    services.change_case(case=case, user=staff, action="submit")
    case = services.change_case(case=case, user=staff, action="publish")
    opportunity = Opportunity.objects.create(
        title="<script>alert(1)</script>",
        organiser="<img src=x onerror=alert(1)>",
        deadline=timezone.now() + timedelta(days=3),
        link="https://example.org",
        description=_joined(),
    )
    client = client_for(staff)
    _all_clean(client, case.get_absolute_url())
    _all_clean(client, reverse("community:cases"))
    _all_clean(client, case.topic.get_absolute_url())
    _all_clean(client, opportunity.get_absolute_url())
    _all_clean(client, reverse("community:opportunities"))
