"""Certificates: course completions, accepted certification applicants and offline trainings, each signed.

Invariants kept (the ones ``credentials.services`` keeps):

* names copied from the holder's profile at issue time; one active credential per person and achievement;
* a random status-list index per credential, never handed out before (a ``StatusSlot`` row each, chosen
  from the indexes no slot holds yet), and a unique 8-character short code from the same alphabet;
* every credential carries a real VC-JWT signed with the current key, built by ``credentials.formats``
  exactly as ``services.issue_credential`` builds it, so the verification page checks a real signature and
  the signed status list. Signing is done in bulk: the private key is decrypted once and each token costs
  one RS256 signature (about 0.7 ms for a 3072-bit key) instead of a key decryption per token;
* revoked credentials have a reason and a time (the status list is built from them); some are re-issued
  (a new credential that ``replaces`` the old one).

Ids, salts, codes and indexes come from the seeded generator, so the same seed gives the same rows; only
the signatures differ between databases (they depend on the signing key). ``--replace`` deletes the
generated credentials and their status slots (those indexes were only ever bench data) and the generated
achievements; real and demo credentials are left alone. If the current key cannot be decrypted with this
``SECRET_KEY`` (a bench database reused with a new secret), a new key is rotated in, as an operator would.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from benchmarks.datagen import GEN_EMAIL_DOMAIN, GEN_SLUG_PREFIX, Scale
from benchmarks.datagen.text import paragraph, past

BATCH = 2000
TRAINING_PREFIX = f"{GEN_SLUG_PREFIX}training-"
TRAININGS = [
    ("საჯარო მოსმენების ფასილიტაცია", "Facilitating public hearings"),
    ("მონაცემთა ანალიზი სამოქალაქო ორგანიზაციებისთვის", "Data analysis for CSOs"),
    ("სამოქალაქო ბიუჯეტის შემუშავება", "Developing a civic budget"),
    ("ადვოკატირების სტრატეგია", "Advocacy strategy"),
    ("პროექტის მართვა", "Project management"),
    ("საჯარო ინფორმაციის გამოთხოვა", "Requesting public information"),
]
REVOKE_REASONS = ["გაცემულია შეცდომით.", "სახელი არასწორად იყო მითითებული.", "კურსის შედეგი გაუქმდა."]


def delete() -> None:
    from calls.models import Call
    from credentials import signing
    from credentials.models import Achievement, Credential, StatusSlot

    generated = Credential.objects.filter(user__email__endswith="@" + GEN_EMAIL_DOMAIN)
    indexes = list(generated.values_list("status_index", flat=True))
    Credential.objects.filter(pk__in=generated.filter(replaces__isnull=False).values("pk")).delete()
    generated.delete()
    for start in range(0, len(indexes), BATCH):
        StatusSlot.objects.filter(index__in=indexes[start : start + BATCH]).delete()
    call_keys = [
        f"call:{pk}"
        for pk in Call.objects.filter(slug__startswith=GEN_SLUG_PREFIX).values_list("pk", flat=True)
    ]
    orphans = Achievement.objects.filter(credentials__isnull=True)
    orphans.filter(key__startswith=TRAINING_PREFIX).delete()
    orphans.filter(key__startswith=f"course:{GEN_SLUG_PREFIX}").delete()
    orphans.filter(key__in=call_keys).delete()
    signing.forget_status_list()


def _key():
    from credentials import keys, services, signing

    row = signing.current_key()
    try:
        private = keys.decrypt_private_key(row.private_key_encrypted) if row else None
    except keys.KeyDecryptionError:
        private = None
    if private is None:
        row = services.rotate_signing_key()
        private = keys.decrypt_private_key(row.private_key_encrypted)
    return row, private


def generate(scale: Scale, rng, stdout, *, user_ids: list[int], **_) -> dict:
    from django.apps import apps
    from joserfc import jwt

    from accounts.api import User
    from credentials import formats, keys, services, signing
    from credentials.models import Achievement, Credential, StatusSlot

    issuer = services.issuer_profile()
    key_row, private = _key()
    header = signing.header_for(key_row)
    people = {
        pk: (email, ka, latin)
        for pk, email, ka, latin in User.objects.filter(pk__in=user_ids).values_list(
            "pk", "email", "full_name_ka", "full_name_latin"
        )
    }

    # What is certified, oldest reasons first: completed generated courses, accepted certification
    # applicants, then offline trainings to reach the scale's count.
    grants = []  # (achievement key, user id, issued at)
    achievements: dict[str, Achievement] = {}
    if apps.is_installed("learning"):
        from learning.models import Enrolment

        completed = (
            Enrolment.objects.filter(
                course__slug__startswith=GEN_SLUG_PREFIX, user_id__in=user_ids, completed_at__isnull=False
            )
            .select_related("course")
            .order_by("completed_at", "pk")
        )
        for enrolment in completed:
            course = enrolment.course
            key = f"course:{course.slug}"
            if key not in achievements:
                achievements[key] = Achievement(
                    key=key,
                    kind="course",
                    name_ka=course.title[:200],
                    name_en=course.title[:200] if course.language == "en" else "",
                    description_ka=(course.summary or course.title)[:2000],
                    criteria_ka="კურსის ყველა გაკვეთილისა და ტესტის წარმატებით დასრულება.",
                    criteria_en="Completed every lesson and passed every quiz of the course.",
                )
            grants.append((key, enrolment.user_id, enrolment.completed_at))
    if apps.is_installed("calls"):
        from calls.models import Application

        accepted = (
            Application.objects.filter(
                call__slug__startswith=GEN_SLUG_PREFIX,
                call__kind="certification",
                status="decided",
                outcome="accepted",
                decision_published_at__isnull=False,
            )
            .select_related("call")
            .order_by("decision_published_at", "pk")
        )
        for application in accepted:
            call = application.call
            key = f"call:{call.pk}"
            if key not in achievements:
                achievements[key] = Achievement(
                    key=key,
                    kind="certification",
                    name_ka=call.title_ka[:200],
                    name_en=call.title_en[:200],
                    description_ka=f"ინდივიდუალური სერტიფიცირების პროგრამა: {call.title_ka}"[:2000],
                    description_en=f"Individual certification programme: {call.title_en or call.title_ka}"[
                        :2000
                    ],
                    criteria_ka="განაცხადი მიღებულია ექსპერტთა ჯგუფის მიერ შეფასების შემდეგ.",
                    criteria_en="Application accepted by the expert panel after review.",
                    valid_for_days=3 * 365,
                )
            grants.append(
                (key, application.applicant_id, application.decision_published_at + timedelta(days=1))
            )
    for i, (ka, en) in enumerate(TRAININGS):
        key = f"{TRAINING_PREFIX}{i:02d}"
        achievements[key] = Achievement(
            key=key,
            kind="internship" if i % 3 == 2 else "other",
            name_ka=ka,
            name_en=en,
            description_ka=paragraph(rng, 2)[:2000],
            description_en="",
            criteria_ka="ტრენინგის ყველა სესიაზე დასწრება და პრაქტიკული დავალების შესრულება.",
            criteria_en="Attended every session and completed the practical assignment.",
            valid_for_days=730 if i % 2 else None,
        )
    reissues = scale.credentials // 200  # 0.5% re-issued (their old credential revoked), within the total
    room = max(scale.credentials - reissues, 0)
    grants = grants[:room]
    training_keys = [k for k in achievements if k.startswith(TRAINING_PREFIX)]
    pairs = {(k, u) for k, u, _at in grants}
    while len(grants) < room:
        key, user_id = rng.choice(training_keys), rng.choice(user_ids)
        if (key, user_id) not in pairs:
            pairs.add((key, user_id))
            grants.append((key, user_id, past(rng, 900)))
    existing = set(Achievement.objects.filter(key__in=list(achievements)).values_list("key", flat=True))
    Achievement.objects.bulk_create(
        [a for k, a in achievements.items() if k not in existing], batch_size=BATCH
    )
    achievements = {a.key: a for a in Achievement.objects.filter(key__in=list(achievements))}

    # Unique random indexes and codes, never handed out before.
    taken = set(StatusSlot.objects.values_list("index", flat=True))
    total = len(grants) + reissues
    free = [i for i in range(formats.STATUS_LIST_LENGTH) if i not in taken]
    indexes = rng.sample(free, total)
    codes_taken = set(Credential.objects.values_list("short_code", flat=True))
    codes = []
    while len(codes) < total:
        code = "".join(rng.choice(services.CODE_ALPHABET) for _ in range(8))
        if code not in codes_taken:
            codes_taken.add(code)
            codes.append(code)

    def make(n: int, key: str, user_id: int, issued_at, replaces=None) -> Credential:
        achievement = achievements[key]
        email, name_ka, name_latin = people[user_id]
        issued_at = issued_at.replace(microsecond=0)
        credential = Credential(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            user_id=user_id,
            achievement=achievement,
            recipient_name_ka=name_ka,
            recipient_name_latin=name_latin,
            subject_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            identity_salt=f"{rng.getrandbits(64):016x}",
            issued_at=issued_at,
            valid_until=issued_at + timedelta(days=achievement.valid_for_days)
            if achievement.valid_for_days
            else None,
            status_index=indexes[n],
            short_code=codes[n],
            signing_key=key_row,
            replaces=replaces,
            show_name=rng.random() < 0.9,
        )
        document = formats.credential_document(credential, email=email, issuer=issuer)
        credential.token = jwt.encode(
            header, formats.jwt_claims(document), private, algorithms=[keys.ALGORITHM]
        )
        return credential

    credentials = [make(n, key, user_id, at) for n, (key, user_id, at) in enumerate(grants)]
    # Revocations (1.5%), a third of them re-issued with a fresh credential that replaces the old one.
    revoked = rng.sample(credentials, min(len(credentials), max(reissues, round(len(credentials) * 0.015))))
    for credential in revoked:
        credential.status = "revoked"
        credential.revoked_at = credential.issued_at + timedelta(days=rng.randint(1, 60))
        credential.revocation_reason = rng.choice(REVOKE_REASONS)
    fresh = []
    for n, old in enumerate(revoked[:reissues]):
        fresh.append(make(len(grants) + n, old.achievement.key, old.user_id, old.revoked_at, replaces=old))
    credentials += fresh
    StatusSlot.objects.bulk_create(
        [StatusSlot(index=c.status_index, allocated_at=c.issued_at) for c in credentials], batch_size=BATCH
    )
    Credential.objects.bulk_create(credentials, batch_size=BATCH)
    signing.forget_status_list()
    if stdout:
        stdout.write(
            f"  credentials: {len(credentials)} signed ({len(revoked)} revoked, {len(fresh)} re-issued), "
            f"{len(achievements)} achievements"
        )
    return {}
