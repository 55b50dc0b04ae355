"""Blind review without leaks: a named applicant writes their name and email into every kind of answer and
into the metadata of their files; nothing a reviewer can reach in a blind call names them."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from calls import files, services
from calls.models import FieldKind, FormField
from tests.calls.builders import PDF, make_call

NAME, SURNAME, EMAIL = "Nino", "Beridze", "nino@example.org"
SECRETS = (NAME, SURNAME, EMAIL, "ნინო", "ბერიძე")
ARTIST = 0x013B  # EXIF "Artist"


def image(kind: str) -> bytes:
    picture = Image.new("RGB", (8, 8), "teal")
    exif = Image.Exif()
    exif[ARTIST] = f"{NAME} {SURNAME} <{EMAIL}>"
    out = io.BytesIO()
    if kind == "png":
        text = PngInfo()
        text.add_text("Author", f"{NAME} {SURNAME}")
        picture.save(out, "PNG", pnginfo=text, exif=exif)
    else:
        picture.save(out, "JPEG", exif=exif, comment=f"{NAME} {SURNAME}".encode())
    return out.getvalue()


PDF_WITH_AUTHOR = PDF.replace(b"trailer<<>>", f"trailer<</Info<</Author({NAME} {SURNAME})>>>>".encode())

# Every kind of answer, each with the applicant's name or email where the kind can hold it.
ANSWERS = {
    "short": f"{NAME} {SURNAME}",
    "long": f"მე ვარ ნინო ბერიძე, {EMAIL}",
    "number": "7",
    "money": "150.50",
    "date": "2026-05-01",
    "choice": "1",
    "multiple": ["1"],
    "yes_no": "yes",
    "url": "https://example.org/nino-beridze",
    "email": EMAIL,
    "budget": [{"item": f"{NAME} {SURNAME} fee", "qty": "1", "unit": "10"}],
}
KINDS = {
    "short": FieldKind.SHORT_TEXT,
    "long": FieldKind.LONG_TEXT,
    "number": FieldKind.NUMBER,
    "money": FieldKind.MONEY,
    "date": FieldKind.DATE,
    "choice": FieldKind.CHOICE,
    "multiple": FieldKind.MULTIPLE,
    "yes_no": FieldKind.YES_NO,
    "url": FieldKind.URL,
    "email": FieldKind.EMAIL,
    "budget": FieldKind.BUDGET,
}


@pytest.fixture
def blind_world(learner, reviewer, staff, django_capture_on_commit_callbacks):
    call = make_call(blind=True)
    FormField.objects.filter(call=call).update(required=False)
    position = 10
    for key, kind in KINDS.items():
        position += 1
        FormField.objects.create(
            call=call,
            position=position,
            key=key,
            kind=kind,
            label_ka=key,
            required=False,
            hidden_in_blind_review=True,
            choices=f"{NAME} | {NAME}\nB | B" if kind in (FieldKind.CHOICE, FieldKind.MULTIPLE) else "",
        )
    for key, kinds, hidden in (
        ("cv", "pdf", True),
        ("photo", "png", False),
        ("scan", "jpeg", False),
        ("plan", "pdf", False),
    ):
        position += 1
        FormField.objects.create(
            call=call,
            position=position,
            key=key,
            kind=FieldKind.FILE,
            label_ka=key,
            file_kinds=kinds,
            required=False,
            hidden_in_blind_review=hidden,
        )
    application = services.start_application(call=call, user=learner)
    uploads = {
        "cv": SimpleUploadedFile(f"{NAME}_{SURNAME}_CV.pdf", PDF_WITH_AUTHOR),
        "photo": SimpleUploadedFile(f"{NAME}.png", image("png")),
        "scan": SimpleUploadedFile(f"{SURNAME}.jpg", image("jpeg")),
        "plan": SimpleUploadedFile(f"{NAME}-plan.pdf", PDF_WITH_AUTHOR),
    }
    saved = services.save_draft(application=application, by=learner, values=dict(ANSWERS), files=uploads)
    assert saved.upload_errors == {}
    application = services.submit_application(application=application, by=learner)
    services.screen(application=application, by=staff, compliant=True, note="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    return call, application, assignment


def assert_anonymous(content: bytes | str, where: str):
    text = content if isinstance(content, str) else content.decode("utf-8", "replace")
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} in {where}"
    if isinstance(content, bytes):
        for secret in (NAME, SURNAME):
            assert secret.encode() not in content, f"{secret!r} in {where}"


def test_nothing_a_reviewer_can_reach_in_a_blind_call_names_the_applicant(blind_world, client_for, reviewer):
    call, application, assignment = blind_world
    for message in mail.outbox:
        assert_anonymous(message.subject + message.body, f"email to {message.to}")
    client = client_for(reviewer)
    pages = [reverse("calls:review_queue"), reverse("calls:review", args=[assignment.pk])]
    export_url = reverse("calls:reviewer_export", args=[call.slug])
    downloads = {
        a.field_key: reverse("calls:attachment", args=[application.pk, a.pk])
        for a in application.attachments.all()
    }
    for lang in ("", "/en"):
        conflict_page = client.get(lang + pages[1])
        assert_anonymous(conflict_page.content, "the conflict page")
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    for lang in ("", "/en"):
        for url in pages:
            response = client.get(lang + url)
            assert response.status_code == 200
            assert_anonymous(response.content, url)
    export = client.get(export_url)
    assert application.reference.encode() in export.content
    assert_anonymous(export.content, "the reviewer's export")
    served = {}
    for key, url in downloads.items():
        response = client.get(url)
        served[key] = response.status_code
        if response.status_code == 200:
            assert_anonymous(response.content, f"file {key}")
            assert_anonymous(response["Content-Disposition"], "a file name")
            assert Image.open(io.BytesIO(response.content)).size == (8, 8)
    # Hidden answers are not served; PDFs cannot be guaranteed clean, so they are not served either.
    assert served == {"cv": 404, "photo": 200, "scan": 200, "plan": 404}


def test_staff_still_read_every_answer_and_file_unchanged(blind_world, client_for, staff):
    _call, application, _assignment = blind_world
    client = client_for(staff)
    html = client.get(reverse("calls:manage_application", args=[application.pk])).content.decode()
    assert EMAIL in html and f"{NAME}_{SURNAME}_CV.pdf" in html
    cv = application.attachments.get(field_key="cv")
    response = client.get(reverse("calls:attachment", args=[application.pk, cv.pk]))
    assert b"".join(response.streaming_content) == PDF_WITH_AUTHOR


@pytest.mark.parametrize("kind", ["png", "jpeg"])
def test_image_metadata_is_removed_and_the_pixels_kept(kind):
    original = image(kind)
    assert NAME.encode() in original
    cleaned = files.without_metadata(original, kind)
    assert NAME.encode() not in cleaned and SURNAME.encode() not in cleaned
    with Image.open(io.BytesIO(cleaned)) as picture:
        assert picture.size == (8, 8) and not picture.getexif()
