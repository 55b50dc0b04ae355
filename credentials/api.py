"""The credentials domain's public surface: other apps import from here, never from credentials' other modules.

* ``ensure_achievement(key=, defaults=)`` — the achievement with a stable key (``internship:<pk>``), made once;
* ``issue_credential(user=, achievement=, by=, issued_at=)`` — issue (or return the active) credential:
  ``(credential, created)``;
* ``AchievementKind`` — the kinds of achievement (``AchievementKind.INTERNSHIP`` …);
* ``work_items`` / ``header_entries`` — what waits for a person here ("my work") and the header links their roles
  open;
* ``register_pdf_fonts`` — the Georgian-capable PDF font (awards' agreement PDF);
* ``verify_reference_or_token`` / ``credentials_of`` — the verifier page's verdict for a pasted VC-JWT or code, and
  a person's own credentials (the REST API);
* ``credential_figures`` — aggregates only (no person's data) for the indicators dashboard;
* ``create_ceremony`` / ``achievement_for_call`` / ``active_credentials`` — a ceremony event's print run from the
  people registered, a participation credential on attendance (events).
"""

from django.db.models import Count
from django.db.models.functions import TruncMonth

from credentials.models import AchievementKind, Credential, CredentialStatus
from credentials.queries import credentials_of
from credentials.rendering import register_pdf_fonts
from credentials.services import achievement_for_call, create_ceremony, ensure_achievement, issue_credential
from credentials.verification import verify_reference_or_token
from credentials.work import header_entries, work_items

__all__ = [
    "AchievementKind",
    "achievement_for_call",
    "active_credentials",
    "create_ceremony",
    "credential_figures",
    "credentials_of",
    "ensure_achievement",
    "header_entries",
    "issue_credential",
    "register_pdf_fonts",
    "verify_reference_or_token",
    "work_items",
]


def credential_figures() -> list[dict]:
    """Credentials per achievement, month issued, status, the holder's region and gender. One query."""
    return [
        dict(row)
        for row in Credential.objects.annotate(month=TruncMonth("issued_at"))
        .values(
            "achievement_id",
            "achievement__name_ka",
            "achievement__name_en",
            "status",
            "month",
            "user__region",
            "user__gender",
        )
        .annotate(n=Count("pk"))
        .order_by()
    ]


def active_credentials(*, achievement, user_ids):
    """The active credentials of ``achievement`` held by these people (a ceremony's print run)."""
    return Credential.objects.filter(
        achievement=achievement, user_id__in=list(user_ids), status=CredentialStatus.ACTIVE
    ).order_by("user__full_name_ka", "pk")
