import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts import services
from accounts.models import AuditEntry, DeletionRequest, Role, User
from accounts.permissions import (
    MFARequired,
    can,
    has_role,
    holds_role,
    is_programme_staff,
    registered_rules,
    require,
)
from tests.factories import UserFactory, give_role


@pytest.mark.django_db
def test_a_reviewer_without_two_factor_holds_the_role_but_cannot_use_it():
    user = give_role(UserFactory(), Role.REVIEWER, mfa=False)
    assert holds_role(user, Role.REVIEWER) is True
    assert has_role(user, Role.REVIEWER) is False


@pytest.mark.django_db
def test_with_two_factor_the_reviewer_may_use_the_role(reviewer):
    assert has_role(reviewer, Role.REVIEWER) is True
    assert is_programme_staff(reviewer) is False


@pytest.mark.django_db
def test_staff_without_two_factor_are_sent_to_set_it_up(client_for):
    user = give_role(UserFactory(), Role.STAFF, mfa=False)
    with pytest.raises(MFARequired):
        require(user, "accounts.verify_organisation")
    response = client_for(user).get(reverse("admin:index"))
    assert response.status_code == 302
    follow = client_for(user).get(reverse("admin:index"), follow=True)
    # admin → sign-in → "set up two-factor" (allauth first asks for the password again)
    assert [url for url, _ in follow.redirect_chain][-2:] == [
        reverse("mfa_activate_totp"),
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp").replace("/", "%2F"),
    ]


@pytest.mark.django_db
def test_the_base_page_tells_a_privileged_user_without_mfa_to_set_it_up(client_for):
    user = give_role(UserFactory(), Role.REVIEWER, mfa=False)
    body = client_for(user).get("/").content.decode()
    assert "თქვენი როლისთვის საჭიროა ორფაქტორიანი ავთენტიფიკაცია." in body


@pytest.mark.django_db
def test_outsiders_get_404_for_an_organisation_they_may_not_manage(other_learner, admin_org):
    with pytest.raises(Http404):
        require(other_learner, "accounts.manage_organisation", admin_org)
    with pytest.raises(PermissionDenied):
        require(other_learner, "accounts.verify_organisation")


@pytest.mark.django_db
def test_org_admin_may_manage_their_organisation_but_not_another(org_admin, admin_org, learner_org):
    assert can(org_admin, "accounts.manage_organisation", admin_org) is True
    assert can(org_admin, "accounts.manage_organisation", learner_org) is False


def test_unknown_rules_are_a_programming_error():
    with pytest.raises(LookupError):
        can(None, "accounts.no_such_rule")
    assert "accounts.manage_organisation" in registered_rules()


@pytest.mark.django_db
def test_granting_staff_gives_admin_access_and_revoking_takes_it_away(staff):
    assert staff.is_staff is True
    assert staff.groups.filter(name="programme staff").exists()
    services.revoke_role(user=staff, role=Role.STAFF, revoked_by=None)
    staff.refresh_from_db()
    assert staff.is_staff is False
    assert not staff.groups.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="role.").values_list("action", flat=True).order_by("pk")
    ) == ["role.grant", "role.revoke"]


@pytest.mark.django_db
def test_staff_with_mfa_reach_the_admin_in_georgian_and_english(client_for, staff):
    client = client_for(staff)
    assert "civichub-ის ადმინისტრირება" in client.get(reverse("admin:index")).content.decode()
    assert "civichub administration" in client.get("/en" + reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_deletion_request_logs_out_mails_both_sides_and_is_recorded_once(client_for, learner):
    client = client_for(learner)
    response = client.post(reverse("accounts:delete_account"), {"reason": "ვტოვებ", "confirm": "on"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert DeletionRequest.objects.get().reason == "ვტოვებ"
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["nino@example.org", "programme@civichub.ge"]
    services.request_account_deletion(user=learner, reason="again")
    assert DeletionRequest.objects.count() == 1


@pytest.mark.django_db
def test_deletion_needs_confirmation(client_for, learner):
    response = client_for(learner).post(reverse("accounts:delete_account"), {"reason": "x"})
    assert response.status_code == 200
    assert DeletionRequest.objects.count() == 0


@pytest.mark.django_db
def test_processing_a_deletion_anonymises_the_account(learner, staff):
    deletion = services.request_account_deletion(user=learner, reason="")
    services.process_account_deletion(deletion=deletion, by=staff)
    user = User.objects.get(pk=learner.pk)
    assert user.email == f"deleted-{learner.pk}@invalid.civichub"
    assert (user.full_name_ka, user.full_name_latin, user.is_active) == ("", "", False)
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_profile_edit_saves_fields_and_expertise_and_keeps_input_on_error(client_for, learner):
    client = client_for(learner)
    data = {
        "full_name_ka": "ნინო ბერიძე",
        "full_name_latin": "Nino Beridze",
        "region": "guria",
        "municipality": "ოზურგეთი",
        "bio": "მკვლევარი",
        "phone": "+995 555 12 34 56",
        "language": "ka",
        "expertise_text": "სამოქალაქო ბიუჯეტი, Civic budgets, სამოქალაქო ბიუჯეტი",
    }
    client.post(reverse("accounts:profile_edit"), data)
    learner.refresh_from_db()
    assert (learner.region, learner.municipality, learner.phone) == ("guria", "ოზურგეთი", "+995 555 12 34 56")
    assert sorted(t.name for t in learner.expertise.all()) == ["Civic budgets", "სამოქალაქო ბიუჯეტი"]
    response = client.post(
        reverse("accounts:profile_edit"), {**data, "phone": "call me", "municipality": "ლანჩხუთი"}
    )
    body = response.content.decode()
    assert "შეიყვანეთ ტელეფონის ნომერი" in body
    assert 'value="ლანჩხუთი"' in body
    learner.refresh_from_db()
    assert learner.municipality == "ოზურგეთი"
