"""Builders for internship tests: candidates made through the real path (application accepted, offer made and
accepted), placements and internships through the internships services."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from awards.models.internships import InternCandidate
from awards.services import internships as services
from awards.services import offers as offer_services
from tests.awards.offers.builders import accepted
from tests.calls.builders import make_call

TASKS = "* ბიუჯეტის მონიტორინგი\n* ანგარიშის მომზადება"


def internship_call(**fields):
    fields.setdefault("title_ka", "სტაჟირება სამოქალაქო ორგანიზაციებში")
    fields.setdefault("title_en", "Internships at CSOs")
    return make_call(kind="internship", **fields)


def candidate(call, user, staff) -> InternCandidate:
    """``user`` applied to ``call``, was accepted, and accepted the offer: ready to be placed."""
    # The decision letter is sent by a task enqueued on commit: run those callbacks here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        application = accepted(call, user, staff)
    offer = offer_services.make_offer(application=application, by=staff)
    offer_services.accept_offer(offer=offer, by=user, acknowledged=True)
    return InternCandidate.objects.get(application=application)


def position(host_org, host, *, call=None, publish=True, supervisor=None, **fields):
    values = {
        "title_ka": "მკვლევარი სტაჟიორი",
        "title_en": "Research intern",
        "region": "guria",
        "starts_on": date(2027, 2, 1),
        "ends_on": date(2027, 5, 31),
        "slots": 2,
        "tasks": TASKS,
        "call": call,
        "supervisor": supervisor or host,
    }
    values.update(fields)
    made = services.create_position(host=host_org, by=host, **values)
    if publish:
        services.move_position(position=made, action="publish", by=host)
    return made


AGREEMENT = {
    "objectives": "საჯარო ფინანსების მონიტორინგის სწავლა",
    "agreed_tasks": "მონაცემების შეგროვება",
    "schedule": "ორშაბათი–ოთხშაბათი, 10:00–15:00",
}


def place(pos, cand, by):
    return services.select_intern(position=pos, candidate=cand, by=by, **AGREEMENT)


RATINGS = {
    key: {"score": 4, "comment": ""}
    for key in ("reliability", "quality", "communication", "initiative", "learning")
}
