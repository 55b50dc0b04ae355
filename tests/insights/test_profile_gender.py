"""The optional gender on the profile: offered with "prefer not to say", explained, kept private, and counted only
anonymously; the donor viewer role needs no two-factor step (it reads aggregates only)."""

import pytest
from django.urls import reverse

from accounts.api import Role, has_role, needs_mfa

pytestmark = pytest.mark.django_db


def _profile(**changes):
    data = {
        "full_name_ka": "ნინო ბერიძე",
        "full_name_latin": "Nino Beridze",
        "region": "imereti",
        "municipality": "",
        "bio": "",
        "phone": "",
        "language": "ka",
        "expertise_text": "",
        "gender": "",
    }
    data.update(changes)
    return data


def test_a_person_may_give_or_leave_out_their_gender(client_for, learner):
    client = client_for(learner)
    form = client.get(reverse("accounts:profile_edit")).content.decode()
    assert 'name="gender"' in form
    assert "არ მსურს მითითება" in form  # prefer not to say
    assert "ანონიმური სტატისტიკისთვის" in form  # used only for anonymous statistics

    client.post(reverse("accounts:profile_edit"), _profile(gender="unsaid"))
    learner.refresh_from_db()
    assert learner.gender == "unsaid"
    assert "არ მსურს მითითება" not in client.get(reverse("accounts:profile")).content.decode()  # never shown

    client.post(reverse("accounts:profile_edit"), _profile(gender=""))
    learner.refresh_from_db()
    assert learner.gender == ""


def test_the_donor_role_reads_without_a_second_factor(donor):
    assert has_role(donor, Role.DONOR)
    assert not needs_mfa(donor)
