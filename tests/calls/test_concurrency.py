"""Two people acting at the same moment: one consistent outcome. Real threads need PostgreSQL's row locks;
on SQLite (one writer at a time) the same guarantees are tested with stale objects in the other test files."""

import threading

import pytest
from django.db import connection, connections

from calls import services
from calls.models import Application, ApplicationEvent, ApplicationVersion, Review, Status
from calls.services import CallsError
from tests.calls.builders import draft, in_review, make_call, scores_for

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*functions):
    """Run the functions in threads released together; return their results (or exceptions)."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL (set DATABASE_URL)")


def test_two_submits_at_once_make_one_submission(learner):
    application = draft(make_call(), learner)
    results = at_once(
        *[
            lambda: services.submit_application(
                application=Application.objects.get(pk=application.pk), by=learner
            )
        ]
        * 2
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert len({r.reference for r in results}) == 1


def test_two_reviewers_saving_at_once_both_count(learner, reviewer, staff):
    from accounts.models import Role
    from tests.factories import UserFactory, give_role

    second = give_role(UserFactory(), Role.REVIEWER)
    call = make_call()
    application = in_review(call, learner, staff)
    assignments = []
    for person in (reviewer, second):
        assignment = services.assign_reviewer(application=application, reviewer=person, by=staff)
        services.declare_conflict(assignment=assignment, by=person, conflict=False)
        assignment.refresh_from_db()
        assignments.append((assignment, person))
    results = at_once(
        *[
            (
                lambda a=a, p=p, v=v: services.save_review(
                    assignment=a,
                    by=p,
                    scores=scores_for(call, v, 5),
                    comments="",
                    recommendation="accept",
                    submit=True,
                )
            )
            for (a, p), v in zip(assignments, (10, 0), strict=True)
        ]
    )
    assert not any(isinstance(r, Exception) for r in results), results
    application.refresh_from_db()
    assert application.review_count == 2 and Review.objects.filter(submitted_at__isnull=False).count() == 2


def test_decision_while_the_applicant_withdraws_gives_one_outcome(learner, staff):
    application = in_review(make_call(), learner, staff)
    results = at_once(
        lambda: services.decide(
            application=Application.objects.get(pk=application.pk), by=staff, outcome="accepted"
        ),
        lambda: services.withdraw_application(
            application=Application.objects.get(pk=application.pk), by=learner
        ),
    )
    failures = [r for r in results if isinstance(r, CallsError)]
    assert len(failures) == 1, results
    application.refresh_from_db()
    assert application.status in (Status.DECIDED, Status.WITHDRAWN)
    assert (
        ApplicationEvent.objects.filter(application=application, action__in=["decide", "withdraw"]).count()
        == 1
    )
    assert (application.outcome == "accepted") == (application.status == Status.DECIDED)


def test_two_autosaves_at_once_keep_both_answers(learner):
    application = draft(make_call(), learner, data={})
    results = at_once(
        lambda: services.save_draft(
            application=Application.objects.get(pk=application.pk),
            by=learner,
            values={"motivation": "პირველი ჩანართი"},
        ),
        lambda: services.save_draft(
            application=Application.objects.get(pk=application.pk), by=learner, values={"full_name": "ნინო"}
        ),
    )
    assert [r.conflicts for r in results] == [[], []]  # different answers: nothing to choose between
    application.refresh_from_db()
    assert application.data == {"motivation": "პირველი ჩანართი", "full_name": "ნინო"}
