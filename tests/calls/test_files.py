"""Hostile and clumsy uploads: checked by content, size and name; the same file twice is kept once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calls import services
from calls.models import Attachment
from tests.calls.builders import PDF, draft, make_call, pdf


@pytest.fixture
def application(learner):
    return draft(make_call(file=True), learner)


def upload(application, learner, file):
    return services.save_draft(
        application=application, by=learner, values={}, files={"cv": file}
    ).upload_errors


def test_a_pdf_is_kept_under_a_random_name_and_the_answer_points_to_it(application, learner):
    assert upload(application, learner, pdf("ჩემი CV.pdf")) == {}
    attachment = Attachment.objects.get(application=application)
    application.refresh_from_db()
    assert application.data["cv"] == attachment.pk
    assert attachment.original_name == "ჩემი CV.pdf" and attachment.kind == "pdf"
    assert "CV" not in attachment.file.name and "ჩემი" not in attachment.file.name


def test_wrong_type_with_a_fake_extension_is_refused(application, learner):
    errors = upload(application, learner, SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf at all" * 10))
    assert "not an allowed type" in errors["cv"][0] or "არ" in errors["cv"][0]
    assert not Attachment.objects.exists()


def test_oversized_file_is_refused_with_the_limit(application, learner):
    errors = upload(application, learner, pdf(content=PDF + b"0" * (1024 * 1024 + 1)))
    assert errors["cv"] and "1" in errors["cv"][0]
    assert not Attachment.objects.exists()


def test_empty_file_is_refused(application, learner):
    errors = upload(application, learner, SimpleUploadedFile("cv.pdf", b""))
    assert errors["cv"]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "cv\x00.pdf", "cv\r\n.pdf", "..\\..\\win.pdf"])
def test_path_traversal_and_control_character_names_are_refused_or_made_safe(application, learner, name):
    errors = upload(application, learner, pdf(name))
    for attachment in Attachment.objects.all():
        assert "/" not in attachment.original_name and "\\" not in attachment.original_name
        assert not any(ord(c) < 32 for c in attachment.original_name)
        assert ".." not in attachment.file.name
    assert errors or Attachment.objects.count() == 1


def test_the_same_file_twice_is_kept_once(application, learner):
    upload(application, learner, pdf())
    upload(application, learner, pdf("again.pdf"))
    assert Attachment.objects.count() == 1


def test_a_bad_file_does_not_lose_the_other_answers(client_for, application, learner):
    response = client_for(learner).post(
        "/en" + reverse("calls:application_form", args=[application.pk]),
        {"f_motivation": "დარჩება", "f_cv": SimpleUploadedFile("cv.pdf", b"GIF89a fake"), "save": "1"},
    )
    assert response.status_code == 200
    assert "A file could not be accepted" in response.content.decode()
    application.refresh_from_db()
    assert application.data["motivation"] == "დარჩება"


def test_another_applicant_cannot_download_the_file(client_for, application, learner, other_learner):
    upload(application, learner, pdf())
    attachment = Attachment.objects.get()
    url = reverse("calls:attachment", args=[application.pk, attachment.pk])
    assert client_for(other_learner).get(url).status_code == 404
    response = client_for(learner).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


@pytest.mark.django_db(transaction=True)
def test_a_file_is_stored_outside_any_transaction(learner, monkeypatch):
    # Storage may be S3 in production: a network call, which must never hold the row lock (issue 16).
    from django.db import connection

    application = draft(make_call(file=True), learner)
    storage = Attachment._meta.get_field("file").storage
    original, seen = storage.save, []

    def save(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return original(*args, **kwargs)

    monkeypatch.setattr(storage, "save", save)
    assert upload(application, learner, pdf()) == {}
    application.refresh_from_db()
    assert seen == [False] and application.data["cv"] == Attachment.objects.get().pk
