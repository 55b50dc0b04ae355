"""The mentoring demo: the demo grant project mentored by mentor@demo, Nino waiting for a mentor; idempotent."""

import pytest
from django.urls import reverse

from accounts.models import Role
from awards.demo import mentoring as demo
from awards.models import AgreedAction, MentoringMessage, MentoringSession, Mentorship, MentorshipStatus
from tests.awards.mentoring.builders import project_for
from tests.factories import OrganisationFactory, UserFactory, give_role, make_member

pytestmark = pytest.mark.django_db


def test_demo_mentoring_twice_creates_it_once(client_for):
    organisation = OrganisationFactory(slug="kakheti-budget-watch")
    admin = UserFactory(email="orgadmin@demo.civichub.ge")
    make_member(admin, organisation, "admin")
    give_role(UserFactory(email="staff@demo.civichub.ge"), Role.STAFF)
    mentor = give_role(UserFactory(email="mentor@demo.civichub.ge"), Role.MENTOR, mfa=False)
    nino = UserFactory(email="nino@demo.civichub.ge")
    project = project_for(organisation, admin, slug="small-grants-2025")
    demo.seed(None)
    demo.seed(None)
    mentored = Mentorship.objects.get(project=project)
    assert (mentored.mentor, mentored.status) == (mentor, MentorshipStatus.ACTIVE)
    assert MentoringSession.objects.count() == 2
    assert AgreedAction.objects.count() == 3
    assert AgreedAction.objects.filter(status="done").count() == 1
    assert MentoringMessage.objects.count() == 2
    assert Mentorship.objects.get(mentee=nino).status == MentorshipStatus.WAITING
    # The mentor's demo login shows it from the home.
    page = client_for(mentor).get(reverse("awards:mentoring_mine")).content.decode()
    assert reverse("awards:mentorship_detail", args=[mentored.pk]) in page
