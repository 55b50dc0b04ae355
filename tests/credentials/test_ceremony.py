"""Ceremony printing: staff pick certificates, the worker builds one PDF and an attendee CSV."""

import io

from pypdf import PdfReader

from credentials import services, tasks
from credentials.models import Ceremony, CeremonyStatus
from tests.factories import UserFactory


def _credentials(achievement, n):
    people = [UserFactory(full_name_ka=f"მონაწილე {i}", full_name_latin=f"Participant {i}") for i in range(n)]
    return [services.issue_credential(user=p, achievement=achievement)[0] for p in people]


def test_staff_prepare_a_ceremony_and_download_pdf_and_csv(
    achievement, signing_key, issuer, staff, client_for, django_capture_on_commit_callbacks
):
    credentials = _credentials(achievement, 3)
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/credentials/manage/ceremonies/",
            {
                "title": "კონფერენცია 2026",
                "credentials": [str(c.pk) for c in credentials[:2]],
            },
        )
    ceremony = Ceremony.objects.get()
    assert response["Location"] == f"/credentials/manage/ceremonies/{ceremony.pk}/"
    assert ceremony.status == CeremonyStatus.DONE and (ceremony.done, ceremony.total) == (2, 2)
    page = client.get(response["Location"]).content.decode()
    assert "მზადაა" in page and "/pdf/" in page
    pdf = client.get(f"/credentials/manage/ceremonies/{ceremony.pk}/pdf/")
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert len(reader.pages) == 2
    csv_text = b"".join(
        client.get(f"/credentials/manage/ceremonies/{ceremony.pk}/csv/").streaming_content
    ).decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert len(lines) == 3
    assert "მონაწილე 0" in csv_text and "Participant 1" in csv_text
    assert "@example.org" not in csv_text


def test_choosing_an_achievement_takes_all_its_active_certificates(
    achievement, signing_key, issuer, staff, client_for, django_capture_on_commit_callbacks
):
    _credentials(achievement, 3)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            "/credentials/manage/ceremonies/", {"title": "ცერემონია", "achievement": achievement.pk}
        )
    assert Ceremony.objects.get().credentials.count() == 3


def test_empty_choice_is_refused_and_title_kept(db, staff, client_for):
    response = client_for(staff).post("/credentials/manage/ceremonies/", {"title": "ჩემი ღონისძიება"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "აირჩიეთ ერთი სერტიფიკატი მაინც" in body and "ჩემი ღონისძიება" in body
    assert Ceremony.objects.count() == 0


def test_progress_page_polls_while_working(credential, staff, client_for):
    ceremony = Ceremony.objects.create(title="მიმდინარე", created_by=staff, total=10, done=3)
    ceremony.credentials.add(credential)
    client = client_for(staff)
    body = client.get(f"/credentials/manage/ceremonies/{ceremony.pk}/").content.decode()
    assert "3 / 10" in body and 'hx-trigger="every 2s"' in body
    partial = client.get(
        f"/credentials/manage/ceremonies/{ceremony.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert partial.lstrip().startswith("<div") and "<html" not in partial
    assert (
        client.get(f"/credentials/manage/ceremonies/{ceremony.pk}/pdf/").status_code == 404
    )  # not ready yet


def test_outsiders_cannot_see_or_download_a_ceremony(credential, staff, learner, client_for):
    ceremony = services.create_ceremony(title="x", credentials=[credential], by=staff)
    tasks.build_ceremony.call(ceremony.pk)
    client = client_for(learner)
    assert client.get(f"/credentials/manage/ceremonies/{ceremony.pk}/").status_code == 404
    assert client.get(f"/credentials/manage/ceremonies/{ceremony.pk}/pdf/").status_code == 404


def test_csv_cells_cannot_become_formulas():
    assert tasks._cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert tasks._cell("ნინო") == "ნინო"
