"""Background work: the ceremony print run (one PDF, a page per certificate, plus the attendee CSV) and the
periodic re-signing of the published status list."""

from __future__ import annotations

import csv
import io
import logging
import secrets

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from credentials import formats, queries, rendering
from credentials.models import Ceremony, CeremonyStatus

log = logging.getLogger(__name__)
PROGRESS_EVERY = 10


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def attendee_csv(credentials) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["#", "სახელი", "Name", "მიღწევა / Achievement", "გაცემულია / Issued", "კოდი / Code", "URL"]
    )
    for n, credential in enumerate(credentials, start=1):
        writer.writerow(
            [
                n,
                _cell(credential.recipient_name_ka),
                _cell(credential.recipient_name_latin),
                _cell(credential.achievement.name_ka),
                credential.issued_at.astimezone(timezone.get_default_timezone()).date().isoformat(),
                formats.format_code(credential.short_code),
                formats.verification_url(credential),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheet programs read Georgian correctly


@task()
def build_ceremony(ceremony_id: int) -> None:
    from credentials.services import issuer_profile

    # Run again after its worker died (core.periodic) or twice by accident, it builds one PDF: a print run that
    # is done is left alone, and one cut short is built again from the start.
    ceremony = Ceremony.objects.get(pk=ceremony_id)
    if ceremony.status == CeremonyStatus.DONE:
        return
    Ceremony.objects.filter(pk=ceremony_id).exclude(status=CeremonyStatus.DONE).update(
        status=CeremonyStatus.RUNNING, done=0
    )
    try:
        credentials = list(queries.ceremony_credentials(ceremony))
        issuer = issuer_profile()

        def progress(n: int) -> None:
            if n % PROGRESS_EVERY == 0 or n == len(credentials):
                Ceremony.objects.filter(pk=ceremony_id).update(done=n)

        pdf = rendering.certificates_pdf(credentials, issuer, progress=progress)
        ceremony.pdf.save(f"ceremony-{ceremony.pk}-{secrets.token_hex(8)}.pdf", ContentFile(pdf), save=False)
        ceremony.csv.save(
            f"ceremony-{ceremony.pk}-{secrets.token_hex(8)}.csv",
            ContentFile(attendee_csv(credentials)),
            save=False,
        )
        ceremony.status = CeremonyStatus.DONE
        ceremony.done = len(credentials)
        ceremony.total = len(credentials)
        ceremony.finished_at = timezone.now()
        ceremony.save(update_fields=["pdf", "csv", "status", "done", "total", "finished_at"])
    except Exception as error:
        log.exception("ceremony %s failed", ceremony_id)
        Ceremony.objects.filter(pk=ceremony_id).update(status=CeremonyStatus.FAILED, error=str(error)[:300])
        raise


@task()
def refresh_status_list() -> None:
    """Re-sign the published status list (fresh ``validFrom``; also catches changes made outside the services).

    Revocations and key rotations re-sign it themselves; this keeps it from growing old between them.
    """
    from credentials import signing

    if signing.current_key() is None:
        return
    signing.publish_status_list()
