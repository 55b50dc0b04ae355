"""generate_data fills the database with the promised counts, and the same seed gives the same data."""

import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import Membership, Organisation, RoleGrant, User
from benchmarks.datagen import GEN_EMAIL_DOMAIN, SCALES
from benchmarks.management.commands import generate_data
from core.search import normalise

pytestmark = pytest.mark.slow
TINY = SCALES["tiny"]


def generate(seed: int, *, replace: bool = False) -> str:
    out = StringIO()
    # Through the command's class: the benchmarks app (and so its commands) is installed only when benchmarking.
    call_command(generate_data.Command(), scale="tiny", seed=seed, replace=replace, stdout=out)
    return out.getvalue()


def fingerprint() -> str:
    """A digest of the generated content that does not depend on primary keys."""
    rows = list(
        User.objects.order_by("email").values_list(
            "email", "full_name_ka", "region", "municipality", "date_joined"
        )
    )
    rows += list(Organisation.objects.order_by("slug").values_list("slug", "name_ka", "kind", "verified"))
    rows += list(
        Membership.objects.order_by("user__email", "organisation__slug").values_list(
            "user__email", "organisation__slug", "role"
        )
    )
    if apps.is_installed("learning"):
        from learning.models import Course, Enrolment, LessonProgress

        rows += list(Course.objects.order_by("slug").values_list("slug", "title", "search_text", "published"))
        rows += list(
            Enrolment.objects.order_by("user__email", "course__slug").values_list(
                "user__email", "course__slug", "completed_at"
            )
        )
        rows.append(LessonProgress.objects.count())
    if apps.is_installed("calls"):
        from calls.models import Application, Review

        rows += list(
            Application.objects.order_by("call__slug", "applicant__email").values_list(
                "call__slug",
                "applicant__email",
                "status",
                "outcome",
                "reference",
                "data",
                "score",
                "submitted_at",
            )
        )
        # Scores are keyed by criterion pk: compare them in criterion order.
        rows += [
            (email, [v for _k, v in sorted(scores.items(), key=lambda kv: int(kv[0]))], total, recommendation)
            for email, scores, total, recommendation in Review.objects.order_by(
                "assignment__application__reference", "assignment__reviewer__email"
            ).values_list("assignment__reviewer__email", "scores", "total", "recommendation")
        ]
    if apps.is_installed("credentials"):
        from credentials.models import Credential

        rows += list(
            Credential.objects.order_by("short_code").values_list(
                "pk",
                "user__email",
                "achievement__key",
                "recipient_name_ka",
                "status_index",
                "short_code",
                "issued_at",
                "valid_until",
                "status",
                "identity_salt",
                "subject_id",
            )
        )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_tiny_scale_creates_the_promised_counts_of_georgian_data():
    output = generate(1)

    users = User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN)
    assert users.count() == TINY.users == 100
    assert Organisation.objects.filter(slug__startswith="gen-").count() == TINY.organisations
    assert Membership.objects.exists()
    assert RoleGrant.objects.filter(role="reviewer").count() == 8
    sample = users.order_by("email").first()
    assert any("\u10d0" <= ch <= "\u10ff" for ch in sample.full_name_ka)  # Georgian script
    assert sample.emailaddress_set.get().verified is True
    assert "generated in" in output


@pytest.mark.django_db
@pytest.mark.skipif(not apps.is_installed("learning"), reason="learning app has not landed")
def test_tiny_scale_fills_learning_and_keeps_its_invariants():
    from learning.models import Course, Enrolment, Lesson, LessonProgress

    generate(1)

    assert Course.objects.count() == TINY.courses
    assert Lesson.objects.count() == TINY.lessons
    assert Enrolment.objects.count() == TINY.enrolments
    for course in Course.objects.all():
        assert course.search_text == normalise(course.title, course.summary)
    # A completed enrolment has every required lesson of its course done.
    for enrolment in Enrolment.objects.filter(completed_at__isnull=False):
        required = set(
            Lesson.objects.filter(course=enrolment.course, required=True).values_list("pk", flat=True)
        )
        done = set(
            LessonProgress.objects.filter(user=enrolment.user, lesson__course=enrolment.course).values_list(
                "lesson_id", flat=True
            )
        )
        assert required <= done


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate(42)
    first = fingerprint()

    generate(42, replace=True)
    assert fingerprint() == first

    generate(43, replace=True)
    assert fingerprint() != first


@pytest.mark.django_db
def test_running_again_without_replace_refuses_and_keeps_the_data():
    generate(5)
    before = fingerprint()

    with pytest.raises(CommandError, match="--replace"):
        generate(5)
    assert fingerprint() == before


@pytest.mark.django_db
def test_replace_leaves_real_and_demo_accounts_alone():
    from tests.factories import UserFactory

    real = UserFactory(email="real.person@example.org")
    generate(3)
    generate(3, replace=True)

    assert User.objects.filter(pk=real.pk).exists()
    assert User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN).count() == TINY.users


@pytest.mark.django_db
@pytest.mark.skipif(not apps.is_installed("community"), reason="community app has not landed")
def test_tiny_scale_fills_the_forum_with_numbered_posts_and_true_counters():
    from django.db.models import Count, Max

    from community.models import Category, Post, Topic

    generate(1)

    topics = Topic.objects.filter(category__slug__startswith="gen-")
    assert Post.objects.filter(topic__in=topics).count() == TINY.posts
    for topic in topics.annotate(n=Count("posts"), top=Max("posts__number")):
        assert topic.post_count == topic.n == topic.top
    post = Post.objects.filter(topic__in=topics).first()
    assert post.search_text == normalise(post.body)
    for category in Category.objects.filter(slug__startswith="gen-"):
        assert category.topic_count == topics.filter(category=category).count()


@pytest.mark.django_db
@pytest.mark.skipif(not apps.is_installed("calls"), reason="calls app has not landed")
def test_tiny_scale_fills_calls_and_keeps_the_services_invariants():
    from django.db.models import Max

    from accounts.permissions import has_role
    from calls import formkit, services
    from calls.models import (
        Application,
        ApplicationEvent,
        ApplicationVersion,
        Assignment,
        Call,
        OutboxMessage,
        ReferenceCounter,
        Review,
        Status,
    )

    generate(1)

    calls = Call.objects.filter(slug__startswith="gen-")
    assert calls.count() == TINY.calls + TINY.announced_calls
    assert all(call.fields.exists() and call.criteria.exists() for call in calls)
    # Announced calls open after the data's open calls close (so they follow them in the visitors' list) and
    # have no applications yet.
    announced = calls.filter(slug__startswith="gen-call-announced-")
    assert announced.count() == TINY.announced_calls
    last_open = calls.exclude(pk__in=announced).aggregate(m=Max("closes_at"))["m"]
    assert all(call.opens_at > last_open for call in announced)
    assert not Application.objects.filter(call__in=announced).exists()
    applications = Application.objects.filter(call__in=calls)
    assert applications.count() == TINY.applications
    assert Review.objects.filter(assignment__application__in=applications).count() == TINY.reviews
    assert applications.filter(status=Status.DRAFT).exists()
    assert applications.exclude(status=Status.DRAFT).exists()

    # References: unique, CH-YYYY-NNNNNN, and the counter is past the highest one.
    references = [r for r in applications.values_list("reference", flat=True) if r]
    assert len(references) == len(set(references)) == applications.filter(submitted_at__isnull=False).count()
    for counter in ReferenceCounter.objects.all():
        top = applications.filter(reference__startswith=f"CH-{counter.year}-").aggregate(m=Max("reference"))[
            "m"
        ]
        assert counter.last == int(top.rsplit("-", 1)[1])

    for application in applications.select_related("call"):
        events = list(
            ApplicationEvent.objects.filter(application=application)
            .exclude(action="conflict")
            .order_by("at", "pk")
        )
        # The audit log replays the transition table from draft to the current status.
        status = Status.DRAFT
        for event in events:
            step = services.TRANSITIONS[(event.from_status, event.action)]
            assert event.from_status == status and event.to_status == step.target
            status = step.target
        assert status == application.status
        if application.submitted_at is not None:
            fields = list(application.call.fields.all())
            assert formkit.validate(fields, application.data, call=application.call, attachments=[]) == {}
            assert ApplicationVersion.objects.filter(application=application).count() == application.version
        # Stored aggregates are what recompute_scores computes.
        before = (
            application.score,
            application.review_count,
            application.score_spread,
            application.disagreement,
        )
        services.recompute_scores(application=application)
        application.refresh_from_db()
        assert (
            application.score,
            application.review_count,
            application.score_spread,
            application.disagreement,
        ) == before
        if application.status == Status.DECIDED:
            letter = OutboxMessage.objects.get(application=application)
            assert (letter.status == "sent") == (application.decision_published_at is not None)

    for assignment in Assignment.objects.filter(application__in=applications).select_related(
        "application", "reviewer"
    ):
        assert has_role(assignment.reviewer, "reviewer")
        # Never the applicant, nor a member of the applicant's organisations or of the applying organisation.
        application = assignment.application
        organisations = set(
            Membership.objects.filter(user_id=application.applicant_id).values_list(
                "organisation_id", flat=True
            )
        )
        organisations |= {application.organisation_id} - {None}
        assert assignment.reviewer_id != application.applicant_id
        assert not Membership.objects.filter(
            user=assignment.reviewer, organisation_id__in=organisations
        ).exists()
    for review in Review.objects.filter(
        assignment__application__in=applications, submitted_at__isnull=False
    ).select_related("assignment__application__call"):
        assert review.total == services._review_total(review.assignment.application.call, review.scores)
    assert not Review.objects.filter(assignment__conflict="conflict").exists()


@pytest.mark.django_db
@pytest.mark.skipif(not apps.is_installed("credentials"), reason="credentials app has not landed")
def test_tiny_scale_issues_signed_credentials_that_verify_with_unique_status_indexes():
    from credentials import verification
    from credentials.models import Credential, StatusSlot

    generate(1)

    credentials = Credential.objects.filter(user__email__endswith="@" + GEN_EMAIL_DOMAIN).select_related(
        "user", "signing_key"
    )
    assert credentials.count() == TINY.credentials
    indexes = list(credentials.values_list("status_index", flat=True))
    assert len(set(indexes)) == len(indexes)
    assert set(StatusSlot.objects.filter(index__in=indexes).values_list("index", flat=True)) == set(indexes)
    assert credentials.filter(status="revoked").exists()
    for credential in credentials:
        assert credential.recipient_name_ka == credential.user.full_name_ka
        assert credential.recipient_name_latin == credential.user.full_name_latin
        verdict = verification.verify_token(
            credential.token, key_rows={credential.signing_key.kid: credential.signing_key}
        )
        expected = (
            "revoked" if credential.status == "revoked" else ("expired" if credential.is_expired else "valid")
        )
        assert verdict.state == expected, (credential.pk, verdict.checks)
        assert verdict.claims["credentialStatus"]["statusListIndex"] == str(credential.status_index)
