"""Users (with verified email addresses), organisations and memberships; a few reviewers with TOTP."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from accounts.api import Membership, Organisation, Region, Role, User
from accounts.models import MembershipRole, OrganisationKind, RoleGrant
from benchmarks.datagen import GEN_EMAIL_DOMAIN, GEN_PASSWORD, GEN_SLUG_PREFIX, Scale
from benchmarks.datagen.text import (
    FIRST_NAMES,
    LAST_NAMES,
    MUNICIPALITIES,
    ORG_KINDS,
    PLACES,
    paragraph,
    past,
)

BATCH = 2000
REGIONS = [r.value for r in Region if r != Region.ABKHAZIA]
KINDS = [k.value for k in OrganisationKind]
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def user_email(i: int) -> str:
    return f"user{i:06d}@{GEN_EMAIL_DOMAIN}"


def generated_users():
    return User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN)


def delete() -> None:
    Organisation.objects.filter(slug__startswith=GEN_SLUG_PREFIX).delete()
    generated_users().delete()


def generate(scale: Scale, rng, stdout) -> dict:
    password = make_password(GEN_PASSWORD)
    users = []
    for i in range(scale.users):
        first_ka, first_lat = rng.choice(FIRST_NAMES)
        last_ka, last_lat = rng.choice(LAST_NAMES)
        users.append(
            User(
                email=user_email(i),
                password=password,
                full_name_ka=f"{first_ka} {last_ka}",
                full_name_latin=f"{first_lat} {last_lat}",
                region=rng.choice(REGIONS),
                municipality=rng.choice(MUNICIPALITIES),
                bio=paragraph(rng, 1) if rng.random() < 0.2 else "",
                date_joined=past(rng, 900),
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    user_ids = list(generated_users().order_by("email").values_list("pk", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=user_email(i), verified=True, primary=True)
            for i, pk in enumerate(user_ids)
        ],
        batch_size=BATCH,
    )

    organisations = []
    for i in range(scale.organisations):
        place_ka, place_en = rng.choice(PLACES)
        kind_ka, kind_en = rng.choice(ORG_KINDS)
        organisations.append(
            Organisation(
                slug=f"{GEN_SLUG_PREFIX}org-{i:05d}",
                name_ka=f"{place_ka} {kind_ka} №{i + 1}",
                name_en=f"{place_en} {kind_en} No. {i + 1}",
                kind=rng.choice(KINDS),
                region=rng.choice(REGIONS),
                description=paragraph(rng, 3),
                verified=rng.random() < 0.7,
                created_at=past(rng, 1500),
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    organisation_ids = list(
        Organisation.objects.filter(slug__startswith=GEN_SLUG_PREFIX)
        .order_by("slug")
        .values_list("pk", flat=True)
    )

    # Roughly one person in three belongs to an organisation; each organisation's first member administers it.
    memberships = []
    seen = set()
    for index, user_id in enumerate(user_ids):
        if rng.random() >= 0.33:
            continue
        organisation_id = (
            organisation_ids[index % len(organisation_ids)]
            if index < len(organisation_ids)
            else rng.choice(organisation_ids)
        )
        if (organisation_id, user_id) in seen:
            continue
        seen.add((organisation_id, user_id))
        memberships.append(
            Membership(
                organisation_id=organisation_id,
                user_id=user_id,
                role=MembershipRole.ADMIN if index < len(organisation_ids) else MembershipRole.MEMBER,
                joined_at=past(rng, 600),
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    # Reviewers: 1 in 400 people (at least 8, so every scale has enough for its reviews), with TOTP set up.
    reviewer_count = max(8, scale.users // 400)
    reviewer_ids = user_ids[:reviewer_count]
    RoleGrant.objects.bulk_create(
        [RoleGrant(user_id=pk, role=Role.REVIEWER) for pk in reviewer_ids], batch_size=BATCH
    )
    _activate_totp(reviewer_ids)
    staff_ids = user_ids[reviewer_count : reviewer_count + 2]
    RoleGrant.objects.bulk_create([RoleGrant(user_id=pk, role=Role.STAFF) for pk in staff_ids])
    User.objects.filter(pk__in=staff_ids).update(is_staff=True)
    _activate_totp(staff_ids)
    if stdout:
        stdout.write(
            f"  accounts: {len(user_ids)} users, {len(organisation_ids)} organisations, {len(memberships)} memberships"
        )
    return {
        "user_ids": user_ids,
        "organisation_ids": organisation_ids,
        "reviewer_ids": reviewer_ids,
        "staff_ids": staff_ids,
    }


def _activate_totp(user_ids) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    for user in User.objects.filter(pk__in=user_ids):
        TOTP.activate(user, BENCH_TOTP_SECRET)
