import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client, learner):
    client.post(reverse("account_reset_password"), {"email": "NINO@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    client.post(form_url, {"password1": "ახალი-პაროლი-2026-Batumi", "password2": "ახალი-პაროლი-2026-Batumi"})
    learner.refresh_from_db()
    assert learner.check_password("ახალი-პაროლი-2026-Batumi")


@pytest.mark.django_db
def test_changing_the_email_needs_verification_of_the_new_address(client_for, learner):
    client = client_for(learner)
    client.post(reverse("account_email"), {"action_add": "", "email": "nino.new@example.org"})
    new = EmailAddress.objects.get(email="nino.new@example.org")
    assert new.verified is False and new.user == learner
    assert mail.outbox[-1].to == ["nino.new@example.org"]
    learner.refresh_from_db()
    assert learner.email == "nino@example.org"


@pytest.mark.django_db
def test_sign_in_and_sign_out(client, learner):
    response = client.post(reverse("account_login"), {"login": "nino@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == learner.pk
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_language_a_person_chooses_is_remembered_for_emails(client_for, learner):
    assert learner.language == "ka"
    client = client_for(learner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    learner.refresh_from_db()
    assert learner.language == "en"


@pytest.mark.django_db
def test_signing_up_in_english_sets_english_for_emails(client):
    client.post(
        "/en" + reverse("account_signup"),
        {
            "email": "kate@example.org",
            "password1": "mtsvane-mta-2026-Kutaisi",
            "password2": "mtsvane-mta-2026-Kutaisi",
            "full_name_latin": "Kate Smith",
        },
    )
    from accounts.models import User

    assert User.objects.get(email="kate@example.org").language == "en"
