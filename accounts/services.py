"""Multi-step writes of the accounts domain. Other apps call these, never the models directly."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import (
    AuditEntry,
    DeletionRequest,
    ExpertiseTag,
    FailedLogin,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    Role,
    RoleGrant,
    User,
)


def record(*, actor, action: str, target, note: str = "") -> AuditEntry:
    return AuditEntry.objects.create(actor=actor, action=action, target=str(target)[:200], note=note)


# Five failed sign-ins for one address, or from one IP address, within 15 minutes lock further attempts out.
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW = timedelta(minutes=15)


def login_locked(*, email: str, ip: str) -> bool:
    """Whether this address or this IP has used up its failed sign-ins (counted in the database)."""
    since = timezone.now() - LOGIN_WINDOW
    recent = FailedLogin.objects.filter(at__gte=since)
    return (
        recent.filter(email=email.strip().lower()).count() >= LOGIN_ATTEMPTS
        or recent.filter(ip=ip).count() >= LOGIN_ATTEMPTS
    )


def record_failed_login(*, email: str, ip: str) -> None:
    now = timezone.now()
    FailedLogin.objects.filter(at__lt=now - LOGIN_WINDOW).delete()
    FailedLogin.objects.create(email=email.strip().lower()[:254], ip=ip[:45], at=now)


def forget_failed_logins(*, email: str) -> None:
    """After a successful password reset the address starts afresh (the reset itself is rate-limited)."""
    FailedLogin.objects.filter(email=email.strip().lower()).delete()


def set_expertise(*, user: User, names: list[str]) -> None:
    """Replace the user's areas of expertise, creating tags case-insensitively."""
    tags = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        tag = ExpertiseTag.objects.filter(name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = ExpertiseTag.objects.create(name=name[:60])
            except IntegrityError:
                tag = ExpertiseTag.objects.get(name__iexact=name)
        tags.append(tag)
    user.expertise.set(tags)


def _unique_slug(base: str) -> str:
    stem = slugify(base, allow_unicode=False)[:70] or "org"
    slug, n = stem, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{stem}-{n}"
    return slug


@transaction.atomic
def create_organisation(*, creator: User, name_ka: str, region: str, **fields) -> Organisation:
    """Create an organisation with its creator as administrator. Unverified until staff verify it."""
    slug = fields.pop("slug", None) or _unique_slug(fields.get("name_en") or name_ka)
    organisation = Organisation.objects.create(name_ka=name_ka, region=region, slug=slug, **fields)
    Membership.objects.create(organisation=organisation, user=creator, role=MembershipRole.ADMIN)
    record(actor=creator, action="organisation.create", target=organisation)
    return organisation


@transaction.atomic
def set_organisation_verified(*, organisation: Organisation, verified: bool, by: User) -> None:
    organisation.verified = verified
    organisation.verified_at = timezone.now() if verified else None
    organisation.save(update_fields=["verified", "verified_at"])
    record(
        actor=by, action="organisation.verify" if verified else "organisation.unverify", target=organisation
    )


def invite_member(*, organisation: Organisation, email: str, role: str, invited_by: User) -> Invitation:
    """Invite someone by email. Inviting an address with an open invitation re-sends it instead of duplicating."""
    email = email.strip().lower()
    with transaction.atomic():
        invitation = Invitation.objects.filter(
            organisation=organisation, email__iexact=email, accepted_at__isnull=True
        ).first()
        if invitation is None:
            invitation = Invitation.objects.create(
                organisation=organisation, email=email, role=role, invited_by=invited_by
            )
        elif invitation.role != role:
            invitation.role = role
            invitation.save(update_fields=["role"])
        record(actor=invited_by, action="organisation.invite", target=organisation, note=email)
    _send_invitation(invitation)
    return invitation


def _send_invitation(invitation: Invitation) -> None:
    url = settings.SITE_URL + reverse("accounts:accept_invitation", args=[invitation.token])
    # The invitee's language is unknown: the message is bilingual, Georgian first.
    parts = []
    for lang in ("ka", "en"):
        with override(lang):
            parts.append(
                render_to_string("accounts/email/invitation.txt", {"invitation": invitation, "url": url})
            )
    with override("ka"):
        subject = _("Invitation to join %(organisation)s on civichub") % {
            "organisation": invitation.organisation.name_ka
        }
    send_mail(subject, "\n\n———\n\n".join(parts), None, [invitation.email])


class InvitationError(Exception):
    pass


class MembershipError(Exception):
    pass


@transaction.atomic
def update_membership(*, membership: Membership, action: str, by: User) -> None:
    """Make a member an administrator or a plain member, or remove them. An organisation keeps one admin."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    organisation = membership.organisation
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=MembershipRole.ADMIN)
        .values_list("pk", flat=True)
    )
    losing_admin = membership.role == MembershipRole.ADMIN and action in {"remove", "make_member"}
    if losing_admin and admins == [membership.pk]:
        raise MembershipError(
            _("An organisation needs at least one administrator. Make someone else an administrator first.")
        )
    if action == "remove":
        membership.delete()
    elif action in {"make_admin", "make_member"}:
        membership.role = MembershipRole.ADMIN if action == "make_admin" else MembershipRole.MEMBER
        membership.save(update_fields=["role"])
    else:
        raise MembershipError(_("Unknown action."))
    record(
        actor=by,
        action=f"organisation.member.{action}",
        target=organisation,
        note=f"user {membership.user_id}",
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    if not created and invitation.role == MembershipRole.ADMIN and membership.role != MembershipRole.ADMIN:
        membership.role = MembershipRole.ADMIN
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(actor=user, action="organisation.join", target=invitation.organisation)
    return membership


STAFF_GROUP = "programme staff"
# Apps whose models programme staff manage in the admin (site admins are superusers and see everything).
STAFF_APP_LABELS = ("accounts", "learning", "calls", "credentials", "community", "awards", "events")


def sync_staff_group(**kwargs) -> Group:
    """Keep the programme-staff group holding every permission of the domain apps (run after each migrate)."""
    from django.contrib.auth.models import Permission

    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APP_LABELS))
    return group


def _staff_group() -> Group:
    return Group.objects.filter(name=STAFF_GROUP).first() or sync_staff_group()


@transaction.atomic
def grant_role(*, user: User, role: str, granted_by: User | None) -> RoleGrant:
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": granted_by}
    )
    if role in (Role.STAFF, Role.ADMIN):
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(_staff_group())
    record(actor=granted_by, action="role.grant", target=user, note=role)
    return grant


@transaction.atomic
def revoke_role(*, user: User, role: str, revoked_by: User | None) -> None:
    RoleGrant.objects.filter(user=user, role=role).delete()
    if role in (Role.STAFF, Role.ADMIN) and not user.is_superuser:
        still_staff = RoleGrant.objects.filter(user=user, role__in=[Role.STAFF, Role.ADMIN]).exists()
        if not still_staff:
            user.groups.remove(_staff_group())
            if user.is_staff:
                user.is_staff = False
                user.save(update_fields=["is_staff"])
    record(actor=revoked_by, action="role.revoke", target=user, note=role)


def request_account_deletion(*, user: User, reason: str) -> DeletionRequest:
    """Record the request (once), tell the person and programme staff."""
    with transaction.atomic():
        existing = DeletionRequest.objects.filter(user=user, processed_at__isnull=True).first()
        if existing:
            return existing
        deletion = DeletionRequest.objects.create(user=user, reason=reason)
        record(actor=user, action="account.deletion_request", target=user)
    send_mail(
        _("We received your request to delete your civichub account"),
        render_to_string("accounts/email/deletion_requested.txt", {"user": user}),
        None,
        [user.email],
    )
    send_mail(
        f"[civichub] account deletion request #{deletion.pk}",
        f"Account deletion requested (user id {user.pk}). Process it in the admin.",
        None,
        [settings.STAFF_NOTIFICATION_EMAIL],
    )
    return deletion


@transaction.atomic
def process_account_deletion(*, deletion: DeletionRequest, by: User | None) -> None:
    """Anonymise the account: personal data removed, login disabled; records others rely on stay."""
    user = deletion.user
    user.email = f"deleted-{user.pk}@invalid.civichub"
    user.full_name_ka = ""
    user.full_name_latin = ""
    user.bio = ""
    user.phone = ""
    user.municipality = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.expertise.clear()
    EmailAddress.objects.filter(user=user).delete()
    deletion.processed_at = timezone.now()
    deletion.save(update_fields=["processed_at"])
    record(actor=by, action="account.delete", target=f"user {user.pk}")
