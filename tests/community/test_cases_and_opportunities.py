"""Case library (written by staff and practitioners, reviewed by staff, with a discussion topic) and opportunities."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import queries, services
from community.models import Case, CaseStatus, Opportunity
from community.services import CASE_TRANSITIONS, CommunityError

pytestmark = pytest.mark.django_db

CASE = {
    "title": "სამოქალაქო ბიუჯეტი ქუთაისში",
    "mechanism": "civic_budget",
    "region": "imereti",
    "municipality": "ქუთაისი",
    "year": 2023,
    "summary": "მოსახლეობამ აირჩია პროექტები.",
    "what_happened": "კენჭისყრა",
    "outcome": "5 პროექტი",
    "lessons": "ადრე დაიწყეთ",
    "links": "https://example.org/budget",
}


def _pdf():
    return SimpleUploadedFile("ანგარიში.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")


def test_a_practitioner_writes_a_case_with_a_file_and_staff_publish_it_with_a_discussion_topic(
    practitioner, staff, client_for
):
    author = client_for(practitioner.user)
    response = author.post(reverse("community:case_new"), {**CASE, "attachment": _pdf()})
    case = Case.objects.get()
    assert response.url == case.get_absolute_url() and case.status == "draft"
    assert case.files.get().name == "ანგარიში.pdf"
    assert Client().get(case.get_absolute_url()).status_code == 404  # a draft is not public
    author.post(reverse("community:case_action", args=[case.slug]), {"action": "submit"})
    staff_client = client_for(staff)
    assert case.title in staff_client.get(reverse("community:cases")).content.decode()
    staff_client.post(reverse("community:case_action", args=[case.slug]), {"action": "publish"})
    case.refresh_from_db()
    assert (
        case.status == "published" and case.topic.category.slug == "cases" and case.topic.title == case.title
    )
    page = client_for(None).get(case.get_absolute_url()).content.decode()
    assert "ადრე დაიწყეთ" in page and f"/community/t/{case.topic_id}/" in page
    file = case.files.get()
    download = client_for(None).get(reverse("community:case_file", args=[case.slug, file.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert practitioner.user.community_notifications.filter(kind="case").count() == 1


def test_learners_cannot_write_cases(learner, client_for):
    assert client_for(learner).post(reverse("community:case_new"), CASE).status_code == 403
    assert Case.objects.count() == 0


def test_a_file_whose_content_is_not_allowed_is_refused_and_the_case_kept(practitioner, client_for):
    bad = SimpleUploadedFile("script.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = client_for(practitioner.user).post(
        reverse("community:case_new"), {**CASE, "attachment": bad}, follow=True
    )
    case = Case.objects.get()
    assert case.files.count() == 0
    assert "PDF" in response.content.decode()


def test_links_must_be_web_addresses_and_the_form_keeps_input(practitioner, client_for):
    response = client_for(practitioner.user).post(
        reverse("community:case_new"), {**CASE, "links": "javascript:alert(1)"}
    )
    assert response.status_code == 200 and Case.objects.count() == 0
    assert (
        "javascript:alert(1)" in response.content.decode()
        and CASE["what_happened"] in response.content.decode()
    )


def test_only_staff_publish_and_a_returned_case_carries_the_note(practitioner, staff):
    case = services.save_case(author=practitioner.user, **CASE)
    services.change_case(case=case, user=practitioner.user, action="submit")
    with pytest.raises(CommunityError):
        services.change_case(case=case, user=practitioner.user, action="publish")
    services.change_case(case=case, user=staff, action="return", note="დაამატეთ წყაროები")
    case.refresh_from_db()
    assert (case.status, case.review_note) == ("returned", "დაამატეთ წყაროები")


def test_case_filters_by_mechanism_region_and_words(staff):
    def published(**overrides):
        case = services.save_case(author=staff, **{**CASE, **overrides})
        services.change_case(case=case, user=staff, action="submit")
        return services.change_case(case=case, user=staff, action="publish")

    budget = published()
    petition = published(
        title="პეტიცია თბილისში", mechanism="petition", region="tbilisi", municipality="თბილისი"
    )
    assert list(queries.published_cases(mechanism="civic_budget")) == [budget]
    assert list(queries.published_cases(region="tbilisi")) == [petition]
    assert list(queries.published_cases(query="ქუთ")) == [budget]


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("action", ["submit", "publish", "return", "unpublish", "bogus"])
def test_case_transitions_follow_the_table_exactly(status, action, staff):
    case = services.save_case(author=staff, **CASE)
    Case.objects.filter(pk=case.pk).update(status=status)
    if (status, action) in CASE_TRANSITIONS:
        assert (
            services.change_case(case=case, user=staff, action=action).status
            == CASE_TRANSITIONS[(status, action)]
        )
    else:
        with pytest.raises(CommunityError):
            services.change_case(case=case, user=staff, action=action)
        assert Case.objects.get(pk=case.pk).status == status


def test_opportunities_move_to_the_archive_when_the_deadline_passes(client):
    now = timezone.now()
    academy = Opportunity.objects.create(
        title="მონაწილეობის აკადემია",
        organiser="CSO",
        deadline=now + timedelta(days=2),
        link="https://example.org",
        description="d",
    )
    assert academy.title in client.get(reverse("community:opportunities")).content.decode()
    with time_machine.travel(now + timedelta(days=3)):
        assert academy.title not in client.get(reverse("community:opportunities")).content.decode()
        assert academy.title in client.get(reverse("community:opportunities_archive")).content.decode()
        assert client.get(reverse("community:opportunity", args=[academy.pk])).status_code == 200


def test_staff_add_an_opportunity_and_others_cannot(staff, learner, client_for):
    data = {
        "title": "ზაფხულის სკოლა",
        "organiser": "ფონდი",
        "deadline": (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "link": "https://example.org/school",
        "description": "აღწერა",
    }
    assert client_for(learner).post(reverse("community:opportunity_new"), data).status_code == 403
    assert client_for(staff).post(reverse("community:opportunity_new"), data).status_code == 302
    assert Opportunity.objects.get().created_by == staff
    bad = {**data, "link": "javascript:alert(1)"}
    response = client_for(staff).post(reverse("community:opportunity_new"), bad)
    assert response.status_code == 200 and Opportunity.objects.count() == 1
