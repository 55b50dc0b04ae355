"""Internship pages: what host, intern, supervisor and staff see and do; bad input keeps what was typed; other
hosts and outsiders get 404; lists issue the same number of queries for 1 and 3 rows."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEntry, MembershipRole, Role
from awards.api import work_items
from awards.models.internships import Internship, InternshipStatus, Position, PositionStatus
from awards.services import internships as services
from credentials.models import Credential
from tests.awards.internships.builders import RATINGS, candidate, place, position
from tests.factories import OrganisationFactory, UserFactory, give_role, make_member


def _position_data(host_org, host, call, **changes):
    data = {
        "host": host_org.pk,
        "title_ka": "ადვოკატირების სტაჟიორი",
        "title_en": "Advocacy intern",
        "region": "guria",
        "starts_on": "2027-02-01",
        "ends_on": "2027-04-30",
        "slots": "2",
        "tasks": "* კვლევა\n* შეხვედრები",
        "call": call.pk,
        "supervisor": host.pk,
    }
    data.update(changes)
    return data


def test_host_creates_and_publishes_a_placement_the_public_list_shows(client_for, host, host_org, call):
    c = client_for(host)
    response = c.post(reverse("awards:placement_create"), _position_data(host_org, host, call))
    made = Position.objects.get(title_ka="ადვოკატირების სტაჟიორი")
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:placement_detail", args=[made.pk])
    assert made.status == PositionStatus.DRAFT and made.host == host_org and made.supervisor == host
    assert AuditEntry.objects.filter(action="awards.position.create", actor=host).count() == 1
    c.post(reverse("awards:placement_status", args=[made.pk]), {"action": "publish"})
    assert Position.objects.get(pk=made.pk).status == PositionStatus.PUBLISHED
    public = client_for(None).get(reverse("awards:placements"))
    assert "ადვოკატირების სტაჟიორი" in public.content.decode()
    elsewhere = client_for(None).get(reverse("awards:placements") + "?region=imereti")
    assert "ადვოკატირების სტაჟიორი" not in elsewhere.content.decode()
    detail = client_for(None).get(reverse("awards:placement_detail", args=[made.pk])).content.decode()
    assert "<li>კვლევა</li>" in detail  # Markdown rendered
    assert "placement_edit" not in detail and reverse("awards:placement_edit", args=[made.pk]) not in detail


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2027-01-01"}, "დასრულების თარიღი დაწყების თარიღზე ადრეა."),
        ({"slots": "0"}, "1"),
        ({"tasks": "ა" * 5001}, "5000"),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(client_for, host, host_org, call, changes, message):
    response = client_for(host).post(
        reverse("awards:placement_create"), _position_data(host_org, host, call, **changes)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="ადვოკატირების სტაჟიორი"' in page
    assert not Position.objects.exists()


def test_host_selects_an_accepted_candidate_and_the_intern_runs_the_internship_to_a_credential(
    client_for, host, learner, pos, cand, django_capture_on_commit_callbacks
):
    c = client_for(host)
    page = c.get(reverse("awards:placement_select", args=[pos.pk])).content.decode()
    assert learner.full_name_ka in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("awards:placement_select", args=[pos.pk]),
            {
                "candidate": cand.pk,
                "starts_on": "2027-02-01",
                "ends_on": "2027-05-31",
                "objectives": "საჯარო ფინანსების ანალიზი",
                "agreed_tasks": "მონაცემთა შეგროვება",
                "schedule": "ორშაბათი–ოთხშაბათი",
            },
        )
    internship = Internship.objects.get(intern=learner)
    assert response["Location"] == reverse("awards:internship_detail", args=[internship.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([learner.email, host.email])
    # the candidate is placed: the selection list no longer offers them
    assert (
        learner.full_name_ka not in c.get(reverse("awards:placement_select", args=[pos.pk])).content.decode()
    )

    intern = client_for(learner)
    detail = intern.get(reverse("awards:internship_detail", args=[internship.pk])).content.decode()
    assert "საჯარო ფინანსების ანალიზი" in detail
    assert reverse("awards:internship_acknowledge", args=[internship.pk]) in detail
    intern.post(reverse("awards:internship_acknowledge", args=[internship.pk]))
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.ACTIVE and internship.acknowledged_at

    c = client_for(host)
    scores = {f"{key}_score": "4" for key in RATINGS}
    c.post(
        reverse("awards:internship_evaluate", args=[internship.pk, "midterm"]),
        {**scores, "reliability_comment": "ყოველთვის დროულად", "overall": "კარგად მიდის"},
    )
    c.post(
        reverse("awards:internship_evaluate", args=[internship.pk, "final"]),
        {**scores, "overall": "შესანიშნავი სტაჟირება", "successful": "yes"},
    )
    intern = client_for(learner)
    detail = intern.get(reverse("awards:internship_detail", args=[internship.pk])).content.decode()
    assert "ყოველთვის დროულად" in detail and "შესანიშნავი სტაჟირება" in detail
    intern.post(
        reverse("awards:internship_reflection", args=[internship.pk]),
        {"learnt": "ბიუჯეტის ანალიზი", "hard": "ვადები", "next_steps": "კვლევა"},
    )
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.COMPLETED
    credential = Credential.objects.get(user=learner)
    mine = intern.get(reverse("credentials:my_credentials")).content.decode()
    assert credential.achievement.name_ka in mine


def test_evaluation_form_keeps_what_was_typed_when_a_score_is_missing(client_for, host, internship):
    services.acknowledge_agreement(internship=internship, by=internship.intern)
    response = client_for(host).post(
        reverse("awards:internship_evaluate", args=[internship.pk, "final"]),
        {"reliability_score": "5", "overall": "ჩემი ტექსტი"},
    )
    assert response.status_code == 200
    assert "ჩემი ტექსტი" in response.content.decode()
    assert not internship.evaluations.exists()


def test_another_host_and_outsiders_get_404(client_for, internship, pos, other_learner):
    other_host = give_role(UserFactory(), Role.HOST, mfa=False)
    make_member(other_host, OrganisationFactory(verified=True), MembershipRole.ADMIN)
    for user in (other_host, other_learner):
        c = client_for(user)
        assert c.get(reverse("awards:placement_edit", args=[pos.pk])).status_code == 404
        assert c.get(reverse("awards:placement_select", args=[pos.pk])).status_code == 404
        assert c.get(reverse("awards:internship_detail", args=[internship.pk])).status_code == 404
        assert (
            c.post(reverse("awards:internship_discontinue", args=[internship.pk]), {"note": "x"}).status_code
            == 404
        )
    assert Internship.objects.get(pk=internship.pk).status == InternshipStatus.AGREEMENT_PENDING


def test_a_supervisor_without_the_host_role_evaluates_their_intern(client_for, host_org, host, call, cand):
    supervisor = UserFactory(full_name_ka="დავით ხელმძღვანელი")
    make_member(supervisor, host_org)
    pos = position(host_org, host, call=call, supervisor=supervisor)
    internship = place(pos, cand, host)
    services.acknowledge_agreement(internship=internship, by=internship.intern)
    c = client_for(supervisor)
    assert c.get(reverse("awards:internship_evaluate", args=[internship.pk, "midterm"])).status_code == 200
    assert c.get(reverse("awards:placement_edit", args=[pos.pk])).status_code == 404
    labels = [item.label for item in work_items(_viewer(supervisor))]
    assert "სტაჟიორები, რომლებსაც ხელმძღვანელობთ" in labels


def _viewer(user):
    from accounts.api import as_viewer

    return as_viewer(user)


def test_home_items_lead_host_intern_and_staff_to_their_pages(internship, host, learner, staff):
    host_items = {item.label: item for item in work_items(_viewer(host))}
    assert host_items["ჩვენი სასტაჟირო ადგილები"].url == reverse("awards:host_placements")
    intern_items = {item.label: item for item in work_items(_viewer(learner))}
    assert intern_items["დასადასტურებელი სასწავლო შეთანხმება"].urgent
    staff_items = {item.label: item for item in work_items(_viewer(staff))}
    assert staff_items["მიმდინარე სტაჟირებები"].count == 1


def test_staff_export_lists_internships(client_for, staff, internship, learner):
    response = client_for(staff).get(reverse("awards:internships_export", args=["internships", "csv"]))
    text = response.content.decode("utf-8-sig")
    assert learner.full_name_ka in text and "მკვლევარი სტაჟიორი" in text
    xlsx = client_for(staff).get(reverse("awards:internships_export", args=["positions", "xlsx"]))
    assert xlsx.content[:2] == b"PK"


# --- constant query counts ------------------------------------------------------------------------------


def _positions(host_org, host, call, n):
    return [position(host_org, host, call=call, title_ka=f"პოზიცია {i}") for i in range(n)]


@pytest.mark.parametrize("n", [1, 3])
def test_public_list_query_count(client_for, host_org, host, call, n, django_assert_num_queries):
    _positions(host_org, host, call, n)
    c = client_for(None)
    with django_assert_num_queries(2):
        assert c.get(reverse("awards:placements")).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_host_list_query_count(client_for, host_org, host, call, n, django_assert_num_queries):
    _positions(host_org, host, call, n)
    c = client_for(host)
    c.get(reverse("awards:host_placements"))
    with django_assert_num_queries(6):
        assert c.get(reverse("awards:host_placements")).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_my_internships_and_overview_query_counts(
    client_for, host_org, host, call, staff, n, django_assert_num_queries
):
    pos = position(host_org, host, call=call, slots=3)
    for _i in range(n):
        place(pos, candidate(call, UserFactory(), staff), host)
    c = client_for(host)
    with django_assert_num_queries(5):
        assert c.get(reverse("awards:my_internships")).status_code == 200
    c = client_for(staff)
    with django_assert_num_queries(8):
        assert c.get(reverse("awards:internships_overview")).status_code == 200


def test_final_evaluation_and_reflection_are_due_from_a_week_before_the_end(internship, host, learner):
    import time_machine

    services.acknowledge_agreement(internship=internship, by=learner)
    with time_machine.travel("2027-05-26 10:00 +04:00"):  # the internship ends on 31 May 2027
        host_items = {item.label: item for item in work_items(_viewer(host))}
        intern_items = {item.label: item for item in work_items(_viewer(learner))}
    assert host_items["დასაწერი საბოლოო შეფასებები"].urgent
    assert intern_items["თქვენი რეფლექსიის დროა"].count == 1
    with time_machine.travel("2027-03-01 10:00 +04:00"):
        assert "დასაწერი საბოლოო შეფასებები" not in [item.label for item in work_items(_viewer(host))]
