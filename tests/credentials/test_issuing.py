"""Issuing (idempotent, names frozen at issue time), the course-completion listener, revocation and re-issue."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import AuditEntry
from credentials import services, verification
from credentials.models import Credential, CredentialStatus


def test_issuing_twice_returns_the_same_credential(learner, achievement, signing_key):
    first, created = services.issue_credential(user=learner, achievement=achievement)
    again, created_again = services.issue_credential(user=learner, achievement=achievement)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Credential.objects.filter(user=learner).count() == 1
    assert AuditEntry.objects.filter(action="credentials.issue").count() == 1


def test_the_database_refuses_a_second_active_credential(credential):
    duplicate = Credential(
        user=credential.user,
        achievement=credential.achievement,
        identity_salt="x",
        status_index=1,
        short_code="ZZZZZZZZ",
        signing_key=credential.signing_key,
        token="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)


def test_credential_keeps_the_names_on_the_profile_at_issue_time(credential, learner):
    learner.full_name_ka = "ნინო სხვაძე"
    learner.save(update_fields=["full_name_ka"])
    credential.refresh_from_db()
    assert credential.recipient_name_ka == "ნინო ბერიძე"
    assert credential.recipient_name_latin == "Nino Beridze"


def test_revoking_changes_status_writes_audit_and_cannot_repeat(credential, staff):
    services.revoke_credential(credential=credential, reason="  გაცემულია   შეცდომით ", by=staff)
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    assert credential.revocation_reason == "გაცემულია შეცდომით"
    assert AuditEntry.objects.get(action="credentials.revoke").actor == staff
    with pytest.raises(services.CredentialError):
        services.revoke_credential(credential=credential, reason="again", by=staff)
    with pytest.raises(services.CredentialError):
        services.revoke_credential(
            credential=Credential.objects.get(pk=credential.pk), reason="   ", by=staff
        )


def test_transition_table_allows_only_active_to_revoked():
    assert {(CredentialStatus.ACTIVE, CredentialStatus.REVOKED)} == services.TRANSITIONS
    for source in CredentialStatus.values:
        for target in CredentialStatus.values:
            allowed = (source, target) in services.TRANSITIONS
            assert allowed == (source == "active" and target == "revoked")


def test_reissue_revokes_the_old_one_and_uses_current_names(credential, learner, staff):
    learner.full_name_latin = "Nino Beridze-Kapanadze"
    learner.save(update_fields=["full_name_latin"])
    new = services.reissue_credential(credential=credential, by=staff, reason="სახელის შესწორება")
    credential.refresh_from_db()
    assert (
        credential.status == CredentialStatus.REVOKED and credential.revocation_reason == "სახელის შესწორება"
    )
    assert new.status == CredentialStatus.ACTIVE and new.replaces == credential
    assert new.recipient_name_latin == "Nino Beridze-Kapanadze"
    assert verification.verify_token(new.token).state == "valid"
    assert verification.verify_token(credential.token).state == "revoked"
    with pytest.raises(services.CredentialError):
        services.reissue_credential(credential=credential, by=staff)


def test_completion_listener_issues_the_course_achievement(learner, signing_key):
    from types import SimpleNamespace

    from django.utils import timezone

    course = SimpleNamespace(
        title="ადვოკატირება", slug="advocacy", summary="ადვოკატირების საფუძვლები", language="ka"
    )
    when = timezone.now().replace(microsecond=0)
    credential = services.issue_for_course_completion(user=learner, course=course, completed_at=when)
    assert credential.achievement.key == "course:advocacy"
    assert credential.achievement.name_ka == "ადვოკატირება"
    assert credential.issued_at == when
    assert (
        services.issue_for_course_completion(user=learner, course=course, completed_at=when).pk
        == credential.pk
    )


@pytest.mark.django_db(transaction=True)
def test_completing_a_course_through_learning_issues_a_certificate(learner, rsa_key):
    from django.apps import apps

    if not apps.is_installed("learning"):
        pytest.skip("learning is not installed")
    from learning import services as learning_services
    from learning.models import Lesson
    from tests.learning.builders import answers, make_course

    services.rotate_signing_key(private_key=rsa_key)
    course = make_course(title="საჯარო ფინანსები")
    learning_services.enrol(user=learner, course=course)
    for lesson in Lesson.objects.filter(course=course, kind="text"):
        learning_services.mark_lesson_complete(user=learner, lesson=lesson)
    quiz = Lesson.objects.get(course=course, slug="quiz")
    learning_services.submit_quiz(user=learner, lesson=quiz, data=answers(quiz), attempt_number=1)
    credential = Credential.objects.get(user=learner)
    assert credential.achievement.key == f"course:{course.slug}"
    assert credential.achievement.name_ka == "საჯარო ფინანსები"
    assert verification.verify_token(credential.token).state == "valid"


def test_issuer_profile_is_created_once(db):
    assert services.issuer_profile().pk == services.issuer_profile().pk == 1
