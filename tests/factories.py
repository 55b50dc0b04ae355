"""Factories for the accounts domain, shared by every test. They build through the services where one exists."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from accounts import services
from accounts.models import MembershipRole, Organisation, User

TEST_PASSWORD = "correct-horse-battery-staple-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name_ka = "ნინო ბერიძე"
    full_name_latin = "Nino Beridze"
    region = "imereti"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_ka = factory.Sequence(lambda n: f"ორგანიზაცია {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    region = "imereti"
    verified = True


def make_member(user, organisation, role=MembershipRole.MEMBER):
    return organisation.memberships.create(user=user, role=role)


def give_role(user, role, *, mfa=True):
    """Grant a role through the service; privileged roles get TOTP set up unless mfa=False."""
    services.grant_role(user=user, role=role, granted_by=None)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user
