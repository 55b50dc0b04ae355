"""Internship services: the transition tables (every state × action × role), slots under the position lock,
selection rules, evaluations, completion and the credential (once), offer_accepted's idempotence, mails."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from accounts.models import AuditEntry
from awards.models.internships import (
    EvaluationKind,
    InternCandidate,
    Internship,
    InternshipStatus,
    Position,
    PositionStatus,
)
from awards.models.offers import Offer
from awards.services import internships as services
from awards.services.internships import InternshipError
from credentials.models import AchievementKind, Credential
from tests.awards.internships.builders import RATINGS, candidate, internship_call, place, position
from tests.calls.builders import complete
from tests.factories import UserFactory

# --- the tables, stated independently of the code ---------------------------------------------------------

EXPECTED = {
    ("agreement_pending", "acknowledge", "intern"): "active",
    ("agreement_pending", "discontinue", "host"): "discontinued",
    ("active", "discontinue", "host"): "discontinued",
    ("active", "complete", "system"): "completed",
    ("active", "end_unsuccessful", "system"): "not_completed",
}
ROLES = (services.HOST, services.INTERN, services.SYSTEM)
ACTIONS = ("acknowledge", "discontinue", "complete", "end_unsuccessful")


@pytest.mark.parametrize("state", InternshipStatus.values)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_every_internship_state_allows_exactly_what_the_table_says(state, action, role, internship, host):
    Internship.objects.filter(pk=internship.pk).update(status=state)
    internship.refresh_from_db()
    target = EXPECTED.get((state, action, role))
    if target is None:
        with pytest.raises(InternshipError):
            services._move(internship, table=services.TRANSITIONS, action=action, role=role, by=host)
        assert Internship.objects.get(pk=internship.pk).status == state
    else:
        services._move(internship, table=services.TRANSITIONS, action=action, role=role, by=host)
        assert Internship.objects.get(pk=internship.pk).status == target
        assert AuditEntry.objects.filter(action=f"awards.internship.{action}").count() == 1


def test_the_table_has_no_transition_beyond_the_expected_ones():
    actual = {(t.source, t.action, t.role): t.target for t in services.TRANSITIONS.values()}
    assert actual == EXPECTED
    assert sorted(ACTIONS) == services.ACTIONS


POSITION_EXPECTED = {
    ("draft", "publish"): "published",
    ("published", "close"): "closed",
    ("closed", "reopen"): "published",
}


@pytest.mark.parametrize("state", PositionStatus.values)
@pytest.mark.parametrize("action", ("publish", "close", "reopen"))
def test_every_position_state_allows_exactly_what_the_table_says(state, action, host_org, host, call):
    pos = position(host_org, host, call=call, publish=False)
    Position.objects.filter(pk=pos.pk).update(status=state)
    pos.refresh_from_db()
    target = POSITION_EXPECTED.get((state, action))
    if target is None:
        with pytest.raises(InternshipError):
            services.move_position(position=pos, action=action, by=host)
        assert Position.objects.get(pk=pos.pk).status == state
    else:
        services.move_position(position=pos, action=action, by=host)
        assert Position.objects.get(pk=pos.pk).status == target


def test_a_stale_copy_cannot_move_a_row_twice(internship, host):
    stale = Internship.objects.get(pk=internship.pk)
    services.discontinue(internship=internship, by=host, note="ავადმყოფობა")
    with pytest.raises(InternshipError):
        services.acknowledge_agreement(internship=stale, by=stale.intern)
    assert Internship.objects.get(pk=internship.pk).status == InternshipStatus.DISCONTINUED


# --- offer_accepted -------------------------------------------------------------------------------------


def test_offer_accepted_makes_one_candidate_however_often_it_runs(cand, staff, learner):
    offer = Offer.objects.get(application=cand.application)
    again = services.offer_accepted(offer=offer, by=learner)
    assert again == cand
    assert InternCandidate.objects.filter(person=learner).count() == 1
    assert cand.call == offer.application.call
    assert AuditEntry.objects.filter(action="awards.internship.candidate").count() == 1


# --- selection and slots --------------------------------------------------------------------------------


def test_slots_are_rechecked_under_the_lock_even_from_a_stale_position(host_org, host, call, staff):
    pos = position(host_org, host, call=call, slots=1)
    stale = Position.objects.get(pk=pos.pk)
    first = candidate(call, UserFactory(), staff)
    second = candidate(call, UserFactory(), staff)
    place(pos, first, host)
    with pytest.raises(InternshipError) as error:
        place(stale, second, host)
    assert error.value.code == "full"
    assert pos.internships.count() == 1


def test_a_discontinued_internship_frees_its_place(host_org, host, call, staff):
    pos = position(host_org, host, call=call, slots=1)
    first = place(pos, candidate(call, UserFactory(), staff), host)
    services.discontinue(internship=first, by=host, note="გადავიდა სხვა ქალაქში")
    second = place(pos, candidate(call, UserFactory(), staff), host)
    assert second.status == InternshipStatus.AGREEMENT_PENDING


def test_a_person_is_placed_once(internship, pos, cand, host):
    with pytest.raises(InternshipError) as error:
        place(pos, cand, host)
    assert error.value.code == "placed"


def test_only_a_published_placement_with_the_candidates_call_takes_interns(host_org, host, call, cand, staff):
    draft = position(host_org, host, call=call, publish=False)
    with pytest.raises(InternshipError) as error:
        place(draft, cand, host)
    assert error.value.code == "not_published"
    other = position(host_org, host, call=internship_call())
    with pytest.raises(InternshipError) as error:
        place(other, cand, host)
    assert error.value.code == "call"


def test_required_courses_must_be_completed(host_org, host, call, cand):
    from tests.learning.builders import make_course  # noqa: PLC0415

    course = make_course(quiz=False)
    pos = position(host_org, host, call=call, required_courses=[course])
    with pytest.raises(InternshipError) as error:
        place(pos, cand, host)
    assert error.value.code == "courses"
    complete(cand.person, course)
    assert place(pos, cand, host).intern == cand.person


def test_position_rules(host_org, host, call, other_learner):
    with pytest.raises(InternshipError):
        position(host_org, host, call=call, starts_on=date(2027, 3, 1), ends_on=date(2027, 2, 1))
    with pytest.raises(InternshipError):
        position(host_org, host, call=call, slots=0)
    with pytest.raises(InternshipError):
        position(host_org, host, call=call, supervisor=other_learner)


def test_selection_mails_intern_and_supervisor_in_their_languages(
    pos, cand, host, learner, django_capture_on_commit_callbacks
):
    learner.language = "en"
    learner.save(update_fields=["language"])
    host.language = "ka"
    host.save(update_fields=["language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        internship = place(pos, cand, host)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {learner.email, host.email}
    assert "You have been selected for an internship" in by_address[learner.email].subject
    assert "Research intern" in by_address[learner.email].body
    assert "თქვენ ახალ სტაჟიორს ხელმძღვანელობთ" in by_address[host.email].subject
    assert "მკვლევარი სტაჟიორი" in by_address[host.email].body
    assert f"/internships/{internship.pk}/" in by_address[host.email].body
    assert AuditEntry.objects.filter(action="awards.internship.select", actor=host).count() == 1


# --- evaluations, reflection, completion ------------------------------------------------------------------


def _active(internship):
    return services.acknowledge_agreement(internship=internship, by=internship.intern)


def test_evaluations_need_an_active_internship_every_score_and_a_final_verdict(internship, host):
    with pytest.raises(InternshipError) as error:
        services.submit_evaluation(
            internship=internship, kind="midterm", ratings=RATINGS, overall="კარგი", successful=None, by=host
        )
    assert error.value.code == "not_active"
    _active(internship)
    with pytest.raises(InternshipError) as error:
        services.submit_evaluation(
            internship=internship,
            kind="midterm",
            ratings={**RATINGS, "quality": {"score": 7}},
            overall="კარგი",
            successful=None,
            by=host,
        )
    assert error.value.code == "ratings"
    with pytest.raises(InternshipError) as error:
        services.submit_evaluation(
            internship=internship, kind="final", ratings=RATINGS, overall="კარგი", successful=None, by=host
        )
    assert error.value.code == "verdict"
    services.submit_evaluation(
        internship=internship, kind="midterm", ratings=RATINGS, overall="კარგი", successful=None, by=host
    )
    with pytest.raises(InternshipError) as error:
        services.submit_evaluation(
            internship=internship, kind="midterm", ratings=RATINGS, overall="ისევ", successful=None, by=host
        )
    assert error.value.code == "exists"


def _finish(internship, host, *, successful=True):
    _active(internship)
    services.submit_evaluation(
        internship=internship,
        kind="midterm",
        ratings=RATINGS,
        overall="კარგად მიდის",
        successful=None,
        by=host,
    )
    services.submit_evaluation(
        internship=internship,
        kind=EvaluationKind.FINAL,
        ratings=RATINGS,
        overall="წარმატებული სტაჟირება",
        successful=successful,
        by=host,
    )
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.ACTIVE  # the reflection is still missing
    services.submit_reflection(
        internship=internship,
        by=internship.intern,
        learnt="ბიუჯეტის ანალიზი",
        hard="ვადები",
        next_steps="მაგისტრატურა",
    )
    internship.refresh_from_db()
    return internship


def test_successful_completion_issues_one_internship_credential(internship, host, learner):
    internship = _finish(internship, host)
    assert internship.status == InternshipStatus.COMPLETED
    credential = Credential.objects.get(user=learner)
    assert credential.pk == internship.credential_id
    assert credential.achievement.key == f"internship:{internship.position_id}"
    assert credential.achievement.kind == AchievementKind.INTERNSHIP
    assert credential.token  # signed
    again = services.issue_internship_credential(internship=internship)
    assert again.pk == credential.pk
    assert Credential.objects.filter(user=learner).count() == 1
    assert AuditEntry.objects.filter(action="awards.internship.complete").count() == 1


def test_the_internship_credential_verifies_publicly(internship, host, client):
    from django.urls import reverse

    internship = _finish(internship, host)
    page = client.get(reverse("credentials:verify", args=[internship.credential_id])).content.decode()
    assert "სტაჟირება: მკვლევარი სტაჟიორი" in page


def test_unsuccessful_final_evaluation_ends_without_a_credential(internship, host, learner):
    internship = _finish(internship, host, successful=False)
    assert internship.status == InternshipStatus.NOT_COMPLETED
    assert internship.credential_id is None
    assert not Credential.objects.filter(user=learner).exists()


def test_only_the_intern_acknowledges_and_reflects(internship, host):
    with pytest.raises(InternshipError):
        services.acknowledge_agreement(internship=internship, by=host)
    _active(internship)
    with pytest.raises(InternshipError):
        services.submit_reflection(internship=internship, by=host, learnt="ა", hard="ბ", next_steps="გ")


def test_the_agreement_changes_only_before_it_is_acknowledged(internship, host):
    services.update_agreement(
        internship=internship, by=host, objectives="ახალი", agreed_tasks="ა", schedule="ბ"
    )
    assert Internship.objects.get(pk=internship.pk).objectives == "ახალი"
    _active(internship)
    with pytest.raises(InternshipError):
        services.update_agreement(
            internship=internship, by=host, objectives="სხვა", agreed_tasks="ა", schedule="ბ"
        )
    assert Internship.objects.get(pk=internship.pk).objectives == "ახალი"
