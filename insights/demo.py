"""Demo content of the insights domain: a donor viewer, the gender a few demo people chose to give, and a snapshot
computed from everything the other domains' demos made (``seed_demo`` runs this last). Idempotent: the donor and
the genders are made once; the snapshot is the newest figures each time (older snapshots are pruned)."""

from allauth.account.models import EmailAddress

from accounts.api import Role, User, grant_role
from insights.services import refresh_indicators

DONOR_EMAIL = "donor@demo.civichub.ge"
DEMO_PASSWORD = "civichub-demo-2026"  # the password of every demo account (accounts/demo.py)
# Demo people who gave their gender in their profile (the others left it blank: "not given").
GENDERS = {
    "nino@demo.civichub.ge": "woman",
    "giorgi@demo.civichub.ge": "man",
    "orgadmin@demo.civichub.ge": "woman",
    "host@demo.civichub.ge": "woman",
    "mentor@demo.civichub.ge": "unsaid",
}


def _donor() -> User:
    donor = User.objects.filter(email=DONOR_EMAIL).first()
    if donor is None:
        donor = User.objects.create_user(
            email=DONOR_EMAIL,
            password=DEMO_PASSWORD,
            full_name_ka="ქეთევან მაისურაძე",
            full_name_latin="Ketevan Maisuradze",
            region="tbilisi",
            language="en",
        )
    EmailAddress.objects.get_or_create(
        user=donor, email=DONOR_EMAIL, defaults={"verified": True, "primary": True}
    )
    if not donor.role_grants.filter(role=Role.DONOR).exists():
        grant_role(user=donor, role=Role.DONOR, granted_by=None)
    return donor


def seed(stdout=None):
    _donor()
    for email, gender in GENDERS.items():
        User.objects.filter(email=email, gender="").update(gender=gender)
    snapshot = refresh_indicators()
    if stdout is not None:
        stdout.write(f"insights: {len(snapshot.data['facts'])} figure cells computed")
    return [("donor viewer", DONOR_EMAIL, f"password {DEMO_PASSWORD}")]
