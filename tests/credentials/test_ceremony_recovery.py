"""A print run is built once however often its task runs, and staff can start a failed or stuck one again
(issue 16: a worker killed mid-build left the ceremony "being prepared" for good)."""

import datetime as dt

from django.utils import timezone

from credentials import services, tasks
from credentials.models import Ceremony, CeremonyStatus


def _ceremony(credential, staff, **fields) -> Ceremony:
    ceremony = Ceremony.objects.create(title="ცერემონია", created_by=staff, total=1, **fields)
    ceremony.credentials.add(credential)
    return ceremony


def test_running_the_build_twice_gives_one_pdf(credential, staff, settings):
    ceremony = _ceremony(credential, staff)
    tasks.build_ceremony.call(ceremony.pk)
    ceremony.refresh_from_db()
    first = ceremony.pdf.name
    tasks.build_ceremony.call(ceremony.pk)  # a retried task
    ceremony.refresh_from_db()
    assert ceremony.status == CeremonyStatus.DONE and ceremony.pdf.name == first
    assert len(list((settings.MEDIA_ROOT / "credentials" / "ceremonies").glob("*.pdf"))) == 1


def test_a_build_cut_short_is_built_again_from_the_start(credential, staff):
    ceremony = _ceremony(credential, staff, status=CeremonyStatus.RUNNING, done=0)
    tasks.build_ceremony.call(ceremony.pk)
    ceremony.refresh_from_db()
    assert (ceremony.status, ceremony.done) == (CeremonyStatus.DONE, 1) and ceremony.pdf


def test_staff_prepare_a_failed_print_run_again(
    credential, staff, client_for, django_capture_on_commit_callbacks
):
    ceremony = _ceremony(credential, staff, status=CeremonyStatus.FAILED, error="disk full")
    client = client_for(staff)
    page = client.get(f"/en/credentials/manage/ceremonies/{ceremony.pk}/").content.decode()
    assert "Prepare the PDF again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/credentials/manage/ceremonies/{ceremony.pk}/retry/")
    assert response["Location"] == f"/credentials/manage/ceremonies/{ceremony.pk}/"
    ceremony.refresh_from_db()
    assert (ceremony.status, ceremony.error) == (CeremonyStatus.DONE, "") and ceremony.pdf


def test_a_print_run_stuck_for_long_can_be_started_again_a_recent_one_cannot(credential, staff):
    recent = _ceremony(credential, staff, status=CeremonyStatus.RUNNING)
    stuck = _ceremony(
        credential,
        staff,
        status=CeremonyStatus.RUNNING,
        created_at=timezone.now() - services.CEREMONY_STUCK_AFTER - dt.timedelta(minutes=1),
    )
    assert not services.ceremony_can_retry(recent)
    assert services.retry_ceremony(ceremony=recent, by=staff) is False
    assert services.ceremony_can_retry(stuck)
    assert services.retry_ceremony(ceremony=stuck, by=staff) is True


def test_a_finished_print_run_is_not_started_again(credential, staff, client_for):
    ceremony = _ceremony(credential, staff)
    tasks.build_ceremony.call(ceremony.pk)
    page = client_for(staff).get(f"/en/credentials/manage/ceremonies/{ceremony.pk}/").content.decode()
    assert "Prepare the PDF again" not in page
    assert services.retry_ceremony(ceremony=ceremony, by=staff) is False
