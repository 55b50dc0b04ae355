"""Offers: an accepted application becomes an offer the applicant (or the organisation's admin) answers."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["AgreementMode", "Offer", "OfferEvent", "OfferStatus"]


class OfferStatus(models.TextChoices):
    MADE = "made", pgettext_lazy("offer status", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("offer status", "Accepted")
    DECLINED = "declined", pgettext_lazy("offer status", "Declined")
    EXPIRED = "expired", pgettext_lazy("offer status", "Expired")
    WITHDRAWN = "withdrawn", pgettext_lazy("offer status", "Withdrawn")


class AgreementMode(models.TextChoices):
    NONE = "none", _("No agreement")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge the generated agreement")
    UPLOAD = "upload", _("Upload a signed copy")


def _signed_copy_path(_instance, filename):
    # A random name: the original name is not kept on disk.
    return f"awards/offers/{uuid.uuid4().hex}.{filename.rpartition('.')[2][:8].lower()}"


class Offer(models.Model):
    application = models.OneToOneField(
        "calls.Application", on_delete=models.PROTECT, related_name="offer", verbose_name=_("application")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.MADE, db_index=True
    )
    amount = models.DecimalField(_("amount (GEL)"), max_digits=12, decimal_places=2, null=True, blank=True)
    response_deadline = models.DateTimeField(_("answer by"))
    agreement_mode = models.CharField(
        _("agreement"), max_length=12, choices=AgreementMode.choices, default=AgreementMode.ACKNOWLEDGE
    )
    terms_ka = models.TextField(_("terms in Georgian"), blank=True)
    terms_en = models.TextField(_("terms in English"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    signed_copy = models.FileField(_("signed copy"), upload_to=_signed_copy_path, max_length=200, blank=True)
    signed_copy_name = models.CharField(max_length=140, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # After a decline or expiry staff may accept the call's next waitlisted application in this offer's place.
    promoted = models.OneToOneField(
        "calls.Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status", "response_deadline"], name="awards_offer_status_deadline")]

    def __str__(self):
        return f"{self.application} — {self.get_status_display()}"

    @property
    def reference(self) -> str:
        return f"OF-{self.application.reference or self.application_id}"


class OfferEvent(models.Model):
    """The transition log of an offer: from, to, by, at, note."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, choices=OfferStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OfferStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.offer_id}: {self.from_status} → {self.to_status}"
