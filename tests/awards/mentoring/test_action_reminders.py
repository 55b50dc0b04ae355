"""Overdue agreed actions: the owner hears once, in their language; nothing for actions done, dropped, not yet
due, long overdue or in an ended mentorship; the daily job is scheduled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from awards.models import AgreedAction
from awards.models.mentoring import ActionOwner, ActionStatus
from awards.services import mentoring as services
from core.periodic import JOBS
from tests.awards.mentoring.builders import action_due, active

pytestmark = pytest.mark.django_db


def _action(mentorship, by, *, owner, days_ago=1, text="ბიუჯეტის ცხრილის შევსება", owner_person=None):
    return action_due(mentorship, by, text, days=-days_ago, owner=owner, person=owner_person)


def test_the_mentor_hears_once_that_their_action_is_overdue_in_their_language(mentorship, mentor):
    User.objects.filter(pk=mentor.pk).update(language="en")
    action = _action(mentorship, mentor, owner=ActionOwner.MENTOR, text="Send the budget template")
    mail.outbox.clear()
    assert services.send_action_reminders() == 1
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    message = mail.outbox[0]
    assert message.subject == "[civichub] An agreed action is overdue"
    assert "Send the budget template" in message.body
    assert mentorship.get_absolute_url() in message.body
    action.refresh_from_db()
    assert action.overdue_reminded_at is not None
    assert services.send_action_reminders() == 0  # once
    assert len(mail.outbox) == 1


def test_a_mentee_owned_action_goes_to_the_named_person_in_georgian(mentorship, mentor, learner):
    _action(mentorship, mentor, owner=ActionOwner.MENTEE, owner_person=learner)
    mail.outbox.clear()
    assert services.send_action_reminders() == 1
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert mail.outbox[0].subject == "[civichub] შეთანხმებული ნაბიჯის ვადა გავიდა"
    assert "ბიუჯეტის ცხრილის შევსება" in mail.outbox[0].body


def test_an_organisations_action_without_a_named_person_goes_to_its_people(project, org_admin, staff, mentor):
    mentorship = active(services.open_mentorship(by=staff, project=project), mentor, staff)
    _action(mentorship, mentor, owner=ActionOwner.MENTEE)
    mail.outbox.clear()
    expected = set(services.mentee_people_ids(mentorship))
    assert org_admin.pk in expected
    assert services.send_action_reminders() == len(expected)
    assert {m.to[0] for m in mail.outbox} == set(
        User.objects.filter(pk__in=expected).values_list("email", flat=True)
    )


def test_no_reminder_for_actions_done_dropped_not_yet_due_long_overdue_or_in_an_ended_mentorship(
    mentorship, mentor, staff, learner
):
    done = _action(mentorship, mentor, owner=ActionOwner.MENTOR, text="done")
    services.set_action_status(action=done, by=mentor, status=ActionStatus.DONE)
    dropped = _action(mentorship, mentor, owner=ActionOwner.MENTOR, text="dropped")
    services.set_action_status(action=dropped, by=mentor, status=ActionStatus.DROPPED)
    _action(mentorship, mentor, owner=ActionOwner.MENTOR, text="due today", days_ago=0)
    _action(mentorship, mentor, owner=ActionOwner.MENTOR, text="long ago", days_ago=31)
    mail.outbox.clear()
    assert services.send_action_reminders() == 0
    assert mail.outbox == []

    late = _action(mentorship, mentor, owner=ActionOwner.MENTOR, text="late")
    services.end_mentorship(mentorship=mentorship, by=staff)
    assert services.send_action_reminders() == 0
    late.refresh_from_db()
    assert late.overdue_reminded_at is None


def test_an_action_already_claimed_by_another_run_is_not_mailed_again(mentorship, mentor):
    action = _action(mentorship, mentor, owner=ActionOwner.MENTOR)
    AgreedAction.objects.filter(pk=action.pk).update(
        overdue_reminded_at=timezone.now()
    )  # the other run's claim
    mail.outbox.clear()
    assert services.send_action_reminders() == 0
    assert mail.outbox == []


def test_the_reminder_runs_daily_in_the_morning():
    job = next(job for job in JOBS if job.name == "awards.action_reminders")
    assert job.task == "awards.tasks.send_action_reminders"
    assert job.every == timedelta(days=1) and job.at_hour == 9
