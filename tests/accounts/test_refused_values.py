"""A refused value is not echoed back whole in the error message (issue 16)."""

import pytest

from accounts.forms import INVALID_CHOICE, InvitationForm, OrganisationForm, ProfileForm


@pytest.mark.django_db
def test_a_one_megabyte_region_is_refused_without_being_echoed(client_for, learner):
    huge = "x" * 1_000_000
    response = client_for(learner).post(
        "/en/me/profile/edit/",
        {"full_name_ka": "ნინო ბერიძე", "full_name_latin": "Nino Beridze", "region": huge, "language": "ka"},
    )
    assert response.status_code in (200, 400)
    assert len(response.content) < 200_000
    assert "xxxxxxxxxx" not in response.content.decode()
    assert str(INVALID_CHOICE) in response.content.decode()


@pytest.mark.django_db
def test_every_choice_on_the_account_forms_refuses_without_quoting(learner, learner_org):
    forms = [
        ProfileForm({"region": "nowhere-" * 10, "language": "xx"}, instance=learner),
        OrganisationForm({"name_ka": "ა", "kind": "nowhere", "region": "nowhere"}),
        InvitationForm({"email": "a@example.org", "role": "emperor"}, organisation=learner_org),
    ]
    for form in forms:
        assert not form.is_valid()
        for field, errors in form.errors.items():
            if field in ("region", "language", "kind", "role"):
                assert errors == [str(INVALID_CHOICE)], (field, errors)
