"""A person's community settings: the @handle used for mentions, and their email choice."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community.models import Member
from community.services.errors import CommunityError

HANDLE_RE = re.compile(r"^[a-z0-9_]{3,30}$")
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,30})\b")


def _handle_base(user) -> str:
    base = slugify(user.full_name_latin or "", allow_unicode=False).replace("-", "_")
    if len(base) < 3:
        base = re.sub(r"[^a-z0-9_]", "_", user.email.split("@")[0].lower())
    base = base.strip("_")[:24]
    return base if len(base) >= 3 else f"member_{base}".strip("_")


def member_for(user) -> Member:
    """The person's community settings, created with a unique @handle on first use."""
    member = Member.objects.filter(user=user).first()
    if member is not None:
        return member
    base = _handle_base(user)
    for n in range(1, 200):
        handle = base if n == 1 else f"{base}{n}"
        if Member.objects.filter(handle__iexact=handle).exists():
            continue
        try:
            with transaction.atomic():
                member = Member.objects.create(user=user, handle=handle)
        except IntegrityError:
            member = Member.objects.filter(user=user).first()
            if member is not None:
                return member
            continue
        return member
    raise CommunityError("could not find a free handle")  # pragma: no cover - 200 taken variants


def save_member_settings(*, member: Member, handle: str, email_mode: str) -> Member:
    handle = handle.strip().lstrip("@").lower()
    if not HANDLE_RE.match(handle):
        raise CommunityError(_("A handle has 3 to 30 Latin letters, digits or underscores."))
    if Member.objects.filter(handle__iexact=handle).exclude(pk=member.pk).exists():
        raise CommunityError(_("This handle is taken. Choose another one."))
    member.handle = handle
    member.email_mode = email_mode
    try:
        with transaction.atomic():
            member.save(update_fields=["handle", "email_mode"])
    except IntegrityError:
        raise CommunityError(_("This handle is taken. Choose another one.")) from None
    return member


def mentioned_user_ids(text: str) -> set[int]:
    handles = {h.lower() for h in MENTION_RE.findall(text or "")}
    if not handles:
        return set()
    return set(
        Member.objects.filter(handle__in=handles, user__is_active=True).values_list("user_id", flat=True)
    )
