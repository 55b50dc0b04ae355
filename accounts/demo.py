"""Demo organisations and one user per role (used by ``manage.py seed_demo``)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from accounts import services
from accounts.models import MembershipRole, Organisation, OrganisationKind, Role, User

DEMO_PASSWORD = "civichub-demo-2026"
# A fixed TOTP secret so a person trying the demo can add the staff and reviewer accounts to an authenticator app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

ORGANISATIONS = [
    ("imereti-civic-lab", "იმერეთის სამოქალაქო ლაბორატორია", "Imereti Civic Lab", "imereti", True),
    ("kakheti-budget-watch", "კახეთის ბიუჯეტის მონიტორინგი", "Kakheti Budget Watch", "kakheti", True),
    ("adjara-youth-forum", "აჭარის ახალგაზრდული ფორუმი", "Adjara Youth Forum", "adjara", False),
    ("tbilisi-policy-institute", "თბილისის პოლიტიკის ინსტიტუტი", "Tbilisi Policy Institute", "tbilisi", True),
    (
        "samegrelo-community-network",
        "სამეგრელოს სათემო ქსელი",
        "Samegrelo Community Network",
        "samegrelo",
        False,
    ),
]

PEOPLE = [
    # role label, email, Georgian name, Latin name, region, roles, organisation slug + membership role
    (
        "learner / applicant",
        "nino@demo.civichub.ge",
        "ნინო ბერიძე",
        "Nino Beridze",
        "imereti",
        [],
        ("imereti-civic-lab", MembershipRole.MEMBER),
    ),
    ("second learner", "giorgi@demo.civichub.ge", "გიორგი კაპანაძე", "Giorgi Kapanadze", "kakheti", [], None),
    (
        "reviewer (expert)",
        "expert@demo.civichub.ge",
        "თამარ ლომიძე",
        "Tamar Lomidze",
        "tbilisi",
        [Role.REVIEWER],
        None,
    ),
    (
        "mentor",
        "mentor@demo.civichub.ge",
        "ლევან გელაშვილი",
        "Levan Gelashvili",
        "shida_kartli",
        [Role.MENTOR],
        None,
    ),
    (
        "practitioner",
        "practitioner@demo.civichub.ge",
        "ეკა ჯაფარიძე",
        "Eka Japaridze",
        "guria",
        [Role.PRACTITIONER],
        None,
    ),
    (
        "host organisation",
        "host@demo.civichub.ge",
        "დავით მაისურაძე",
        "Davit Maisuradze",
        "tbilisi",
        [Role.HOST],
        ("tbilisi-policy-institute", MembershipRole.ADMIN),
    ),
    (
        "organisation admin",
        "orgadmin@demo.civichub.ge",
        "მარიამ ხარაიშვილი",
        "Mariam Kharaishvili",
        "kakheti",
        [],
        ("kakheti-budget-watch", MembershipRole.ADMIN),
    ),
    (
        "programme staff",
        "staff@demo.civichub.ge",
        "ანა წერეთელი",
        "Ana Tsereteli",
        "tbilisi",
        [Role.STAFF],
        None,
    ),
    (
        "site admin",
        "admin@demo.civichub.ge",
        "ირაკლი ჩხეიძე",
        "Irakli Chkheidze",
        "tbilisi",
        [Role.ADMIN],
        None,
    ),
]


def _ensure_mfa(user: User) -> list[str]:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    codes = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    wrapper = RecoveryCodes(codes) if codes else RecoveryCodes.activate(user)
    return wrapper.get_unused_codes()[:2]


@transaction.atomic
def seed(stdout=None):
    admin_user = None
    organisations = {}
    for slug, name_ka, name_en, region, verified in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name_ka": name_ka,
                "name_en": name_en,
                "region": region,
                "kind": OrganisationKind.CSO,
                "verified": verified,
                "description": f"{name_ka} — სამოქალაქო ორგანიზაცია, რომელიც მუშაობს საჯარო მონაწილეობის საკითხებზე.",
            },
        )
        organisations[slug] = organisation
    logins = []
    for label, email, name_ka, name_latin, region, roles, membership in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name_ka=name_ka,
                full_name_latin=name_latin,
                region=region,
                is_superuser=Role.ADMIN in roles,
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for role in roles:
            services.grant_role(user=user, role=role, granted_by=admin_user)
        if membership:
            organisation = organisations[membership[0]]
            organisation.memberships.get_or_create(user=user, defaults={"role": membership[1]})
        extra = f"password {DEMO_PASSWORD}"
        if any(r in (Role.REVIEWER, Role.STAFF, Role.ADMIN) for r in roles):
            codes = _ensure_mfa(user)
            extra += f"  TOTP secret {DEMO_TOTP_SECRET}  recovery codes {' '.join(codes)}"
        if Role.ADMIN in roles:
            admin_user = user
        logins.append((label, email, extra))
    return logins
