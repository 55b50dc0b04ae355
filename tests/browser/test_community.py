"""Community in a real browser: asking a practitioner in Georgian, moderation, the XSS corpus, JavaScript off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from community.models import Category, Opportunity, Post, Question
from tests.browser.helpers import assert_accessible, assert_fits_360, sign_in
from tests.community.xss_corpus import PAYLOADS
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser

# Any element whose URL attribute still starts with a script-capable scheme after sanitising.
DANGEROUS_URLS_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('main *')) {
    for (const attr of ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc']) {
      const v = (el.getAttribute(attr) || '').replace(/\\s+/g, '').toLowerCase();
      if (v.startsWith('javascript:') || v.startsWith('data:') || v.startsWith('vbscript:')) bad.push(el.outerHTML.slice(0, 80));
    }
    for (const a of el.attributes) { if (a.name.startsWith('on')) bad.push(el.outerHTML.slice(0, 80)); }
  }
  return bad;
}"""


def _switch_user(page, email):
    page.context.clear_cookies()
    sign_in(page, page.base_url, email, TEST_PASSWORD)


def _old(user):
    user.date_joined = timezone.now() - timedelta(days=400)
    user.save(update_fields=["date_joined"])
    return user


def test_a_learner_asks_a_practitioner_in_georgian_who_answers_and_the_question_reads_answered(
    browser_page,
):
    page = browser_page
    learner = UserFactory(email="nino.browser@example.org", full_name_ka="ნინო ბერიძე")
    expert = UserFactory(
        email="eka.browser@example.org", full_name_ka="ეკა ჯაფარიძე", full_name_latin="Eka Japaridze"
    )
    practitioner = services.save_practitioner(
        user=expert,
        kind="practitioner",
        bio="სამოქალაქო ბიუჯეტის **პრაქტიკოსი**",
        expertise=["civic_budget"],
        regions=["guria"],
        languages=["ka"],
        accepting_questions=True,
    )

    sign_in(page, page.base_url, learner.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/community/practitioners/")
    assert_accessible(page)
    assert_fits_360(page)
    page.click("text=ეკა ჯაფარიძე")
    with page.expect_navigation():
        page.click("text=კითხვის დასმა —")
    assert_accessible(page)
    page.fill("input[name=title]", "როგორ შევარჩიოთ პროექტები სამოქალაქო ბიუჯეტში?")
    page.fill("textarea[name=body]", "ოზურგეთში პირველად ვატარებთ კენჭისყრას. რა კრიტერიუმები გამოვიყენოთ?")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    question = Question.objects.get()
    assert page.url.endswith(f"/community/questions/{question.pk}/")
    assert "თქვენი კითხვა გაიგზავნა" in page.inner_text("main")
    assert_accessible(page)

    _switch_user(page, expert.email)
    page.goto(f"{page.base_url}/community/questions/")
    page.click("text=როგორ შევარჩიოთ პროექტები")
    page.fill("textarea[name=body]", "გამოიყენეთ სამი კრიტერიუმი: ღირებულება, მოსარგებლეები და ვადა.")
    with page.expect_navigation():
        page.click("main button:has-text('გაგზავნა')")
    assert "სამი კრიტერიუმი" in page.inner_text("main")
    assert_accessible(page)

    _switch_user(page, learner.email)
    page.goto(f"{page.base_url}/community/questions/{question.pk}/")
    assert "სამი კრიტერიუმი" in page.inner_text("main")
    assert page.locator("text=პასუხგაცემულად მონიშვნა").count() == 0  # the reply answered it
    question.refresh_from_db()
    assert question.status == "answered" and question.practitioner == practitioner
    assert "პასუხგაცემული" in page.inner_text("main")
    assert_accessible(page)
    assert_fits_360(page)


def test_a_moderator_hides_a_flagged_post(browser_page):
    page = browser_page
    services.ensure_default_categories()
    author, troll, reporter = _old(UserFactory()), _old(UserFactory()), _old(UserFactory())
    moderator = UserFactory(email="moderator.browser@example.org")
    member = services.member_for(moderator)
    member.is_moderator = True
    member.save(update_fields=["is_moderator"])
    topic = services.start_topic(
        category=Category.objects.get(slug="general"), author=author, title="საჯარო განხილვა", body="კითხვა"
    )
    bad = services.reply(topic=topic, author=troll, body="შეურაცხმყოფელი სპამი")
    services.flag_post(post=bad, reporter=reporter, reason="სპამია")

    sign_in(page, page.base_url, moderator.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/community/moderation/")
    assert "სპამია" in page.inner_text("main")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("text=პოსტის დამალვა")
    assert Post.objects.get(pk=bad.pk).is_hidden
    assert "შესრულდა" in page.inner_text("main")

    page.context.clear_cookies()
    page.goto(f"{page.base_url}/community/t/{topic.pk}/")
    assert "შეურაცხმყოფელი სპამი" not in page.inner_text("main")
    assert_accessible(page)


def test_the_xss_corpus_runs_no_script_and_leaves_no_dangerous_url_in_any_rich_text_field(browser_page):
    page = browser_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    services.ensure_default_categories()
    author, newcomer = _old(UserFactory()), UserFactory()
    staff_like = UserFactory(email="author.browser@example.org")
    topic = services.start_topic(
        category=Category.objects.get(slug="general"),
        author=author,
        title="<script>window.__xss=1</script>",
        body=PAYLOADS[0],
    )
    for payload in PAYLOADS:
        services.reply(topic=topic, author=author, body=payload)
    for payload in PAYLOADS[:3]:
        services.reply(topic=topic, author=newcomer, body=payload, rate_limited=False)
    joined = "\n\n".join(PAYLOADS)
    practitioner = services.save_practitioner(
        user=staff_like,
        kind="practitioner",
        bio=joined,
        expertise=["civic_budget"],
        regions=["guria"],
        languages=["ka"],
        accepting_questions=True,
    )
    question = services.ask_question(
        asker=author, practitioner=practitioner, title="<img src=x onerror=window.__xss=1>", body=joined
    )
    services.post_question_message(question=question, author=staff_like, body=joined)
    for user, action in ((author, "mark_answered"), (author, "consent"), (staff_like, "consent")):
        services.change_question(question=question, user=user, action=action)
    case = services.save_case(
        author=author,
        title="<svg onload=window.__xss=1>",
        mechanism="civic_budget",
        region="guria",
        year=2022,
        summary=joined,
        what_happened=joined,
        outcome=joined,
        lessons=joined,
        links="https://example.org",
    )
    Opportunity.objects.create(
        title="<script>window.__xss=1</script>",
        organiser="o",
        deadline=timezone.now() + timedelta(days=5),
        link="https://example.org",
        description=joined,
    )
    from community.models import Case

    Case.objects.filter(pk=case.pk).update(status="published")
    opportunity = Opportunity.objects.get()
    pages = [
        f"/community/t/{topic.pk}/",
        f"/community/t/{topic.pk}/?page=2",
        f"/community/qa/{question.pk}/",
        f"/community/practitioners/{practitioner.pk}/",
        f"/community/cases/{case.slug}/",
        f"/community/opportunities/{opportunity.pk}/",
    ]
    for path in pages:
        page.goto(page.base_url + path)
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)
        assert page.evaluate("() => window.__xss") is None, path
        assert page.evaluate(DANGEROUS_URLS_JS) == [], path
    assert dialogs == []


def test_reading_and_replying_work_with_javascript_off(nojs_page):
    page = nojs_page
    services.ensure_default_categories()
    author = _old(UserFactory())
    replier = _old(UserFactory(email="nojs.browser@example.org"))
    topic = services.start_topic(
        category=Category.objects.get(slug="general"), author=author, title="უჯავასკრიპტოდ", body="კითხვა"
    )
    sign_in(page, page.base_url, replier.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/community/t/{topic.pk}/")
    page.fill("textarea[name=body]", "პასუხი სკრიპტის გარეშე")
    with page.expect_navigation():
        page.click("main button:has-text('პასუხის გაგზავნა')")
    assert "პასუხი სკრიპტის გარეშე" in page.inner_text("main")
    with page.expect_navigation():
        page.click("main .community-post:nth-of-type(1) button:has-text('სასარგებლოა')")
    assert Post.objects.get(topic=topic, number=1).helpful_count == 1
    assert_fits_360(page)


def test_helpful_toggles_in_place_with_htmx_through_the_pages_one_form(browser_page):
    page = browser_page
    services.ensure_default_categories()
    author, reader = _old(UserFactory()), _old(UserFactory(email="htmx.browser@example.org"))
    topic = services.start_topic(
        category=Category.objects.get(slug="general"), author=author, title="სასარგებლო პასუხი", body="კითხვა"
    )
    sign_in(page, page.base_url, reader.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/community/t/{topic.pk}/")
    url = page.url
    button = page.locator("main .community-post:nth-of-type(1) .community-helpful button")
    button.click()
    page.wait_for_selector("main .community-post:nth-of-type(1) .community-helpful button[aria-pressed=true]")
    assert page.url == url  # swapped in place, no page load
    assert Post.objects.get(topic=topic, number=1).helpful_count == 1
    page.locator("main .community-post:nth-of-type(1) .community-helpful button").click()
    page.wait_for_selector(
        "main .community-post:nth-of-type(1) .community-helpful button[aria-pressed=false]"
    )
    assert Post.objects.get(topic=topic, number=1).helpful_count == 0
    assert_accessible(page)
