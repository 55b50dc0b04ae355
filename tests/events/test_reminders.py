"""Reminders the day before, once per registration, in each person's language."""

import datetime as dt

import pytest
from django.core import mail

from events import services
from tests.events.builders import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reminder_goes_the_day_before_once_in_each_persons_language(learner, other_learner, mentor):
    english = UserFactory(language="en")
    event = make_event(capacity=2)
    services.register(event=event, user=learner)
    services.register(event=event, user=english)
    services.register(event=event, user=mentor)  # on the waitlist: no reminder
    mail.outbox.clear()
    assert services.send_reminders(now=event.starts_at - dt.timedelta(days=2)) == 0
    assert services.send_reminders(now=event.starts_at - dt.timedelta(hours=20)) == 2
    assert services.send_reminders(now=event.starts_at - dt.timedelta(hours=10)) == 0
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {learner.email, english.email}
    assert by_address[english.email].subject.startswith("Tomorrow")
    assert not by_address[learner.email].subject.startswith("Tomorrow")
    assert by_address[learner.email].attachments[0][0] == "event.ics"


def test_the_periodic_job_is_listed():
    from core.periodic import JOBS

    assert any(job.task == "events.tasks.send_reminders" for job in JOBS)
