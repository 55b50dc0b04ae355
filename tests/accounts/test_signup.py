"""Sign-up and sign-in: the happy path and every kind of bad input the issue lists."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User

GOOD_PASSWORD = "mtsvane-mta-2026-Kutaisi"


def signup(client, **overrides):
    data = {
        "email": "lela@example.org",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "full_name_ka": "ლელა აბაშიძე",
        "full_name_latin": "Lela Abashidze",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


@pytest.mark.django_db
def test_signup_creates_an_unverified_user_and_sends_a_georgian_verification_mail(client):
    response = signup(client, email="Lela@Example.org")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "lela@example.org"
    assert (user.full_name_ka, user.full_name_latin) == ("ლელა აბაშიძე", "Lela Abashidze")
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert "ელ. ფოსტ" in mail.outbox[0].subject


@pytest.mark.django_db
def test_unverified_user_cannot_sign_in_until_the_link_is_followed(client):
    signup(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "lela@example.org", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_with_an_existing_email_says_so_and_keeps_the_other_input(client, learner):
    response = signup(client, email="NINO@example.org")
    assert response.status_code == 200
    assert "მომხმარებელი ამ ელ. ფოსტით უკვე დარეგისტრირებულია." in response.content.decode()
    assert 'value="ლელა აბაშიძე"' in response.content.decode()
    assert User.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_signup_with_an_invalid_email_is_refused_in_english_under_en(client):
    response = client.post(
        "/en" + reverse("account_signup"),
        {
            "email": "not-an-email",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "full_name_latin": "Lela Abashidze",
        },
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert 'value="Lela Abashidze"' in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["password123", "1234567890", "short"])
def test_weak_passwords_are_refused_and_nothing_is_created(client, password):
    response = signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "password1" in response.context["form"].errors
    assert User.objects.count() == 0
    assert EmailAddress.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name_ka", "ნ" * 151, "150"),
        ("full_name_ka", "ნინო\u0000 ბერიძე", "უხილავი სამართავი სიმბოლო"),
        ("full_name_ka", "ნინო\u202e ბერიძე", "უხილავი სამართავი სიმბოლო"),
        ("full_name_latin", "Nino\tBeridze", "ერთ სტრიქონში"),
        ("full_name_latin", "ნინო ბერიძე", "ლათინური ასოებით"),
        ("full_name_ka", "Nino 😀", "ქართული ასოებით"),
        ("full_name_latin", "نينو", "ლათინური ასოებით"),
    ],
)
def test_bad_names_get_a_georgian_message_and_keep_the_email(client, field, value, message):
    response = signup(client, **{field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="lela@example.org"' in body
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_accented_latin_and_hyphenated_georgian_names_are_accepted(client):
    signup(client, full_name_ka="ანა-მარია წერეთელი", full_name_latin="Ana-María Tsereteli")
    assert User.objects.get().full_name_latin == "Ana-María Tsereteli"


@pytest.mark.django_db
def test_signup_needs_at_least_one_name(client):
    response = signup(client, full_name_ka="", full_name_latin="")
    assert "შეიყვანეთ სახელი ქართულად" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_a_forged_csrf_token_is_refused_with_a_translated_page_and_creates_nothing():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "lela@example.org",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "full_name_latin": "Lela Abashidze",
            "csrfmiddlewaretoken": "forged",
        },
    )
    assert response.status_code == 403
    assert "ფორმას ვადა გაუვიდა" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_out_even_with_the_right_password(client, learner):
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": learner.email, "password": "wrong-password"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": "correct-horse-battery-staple-42"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "შესვლის ძალიან ბევრი წარუმატებელი მცდელობა. მოგვიანებით სცადეთ." in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_keeps_the_email_typed(client, learner):
    response = client.post(reverse("account_login"), {"login": learner.email, "password": "nope"})
    body = response.content.decode()
    assert f'value="{learner.email}"' in body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failed_logins_are_counted_where_every_web_process_sees_them(client, learner):
    """Each worker has its own local-memory cache: emptying it between attempts is what a second worker sees."""
    from django.core.cache import cache

    from accounts.models import FailedLogin

    for _ in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": "wrong-password"})
        cache.clear()
    assert FailedLogin.objects.filter(email=learner.email.lower()).count() == 5
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": "correct-horse-battery-staple-42"}
    )
    assert "_auth_user_id" not in client.session
    assert "შესვლის ძალიან ბევრი წარუმატებელი მცდელობა. მოგვიანებით სცადეთ." in response.content.decode()


@pytest.mark.django_db
def test_failed_logins_from_one_address_lock_it_out_for_every_account(client, learner, other_learner):
    for n in range(5):
        client.post(reverse("account_login"), {"login": f"nobody{n}@example.org", "password": "wrong"})
    response = client.post(
        reverse("account_login"),
        {"login": other_learner.email, "password": "correct-horse-battery-staple-42"},
    )
    assert "_auth_user_id" not in client.session
    assert "შესვლის ძალიან ბევრი წარუმატებელი მცდელობა" in response.content.decode()


@pytest.mark.django_db
def test_failed_logins_older_than_the_window_no_longer_count(client, learner):
    import time_machine

    with time_machine.travel("2026-03-01 10:00 +04:00", tick=False):
        for _ in range(5):
            client.post(reverse("account_login"), {"login": learner.email, "password": "wrong-password"})
    with time_machine.travel("2026-03-01 10:16 +04:00", tick=False):
        client.post(
            reverse("account_login"), {"login": learner.email, "password": "correct-horse-battery-staple-42"}
        )
        assert client.session["_auth_user_id"] == str(learner.pk)
