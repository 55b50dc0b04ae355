import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import AuditEntry, Invitation, Membership, MembershipRole, Organisation
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_registering_an_organisation_makes_the_creator_its_unverified_admin(client_for, other_learner):
    client = client_for(other_learner)
    response = client.post(
        reverse("accounts:organisation_create"),
        {
            "name_ka": "გურიის მოხალისეები",
            "name_en": "Guria Volunteers",
            "kind": "cso",
            "region": "guria",
            "website": "",
            "registration_number": "",
            "description": "",
        },
    )
    organisation = Organisation.objects.get(name_ka="გურიის მოხალისეები")
    assert response["Location"] == reverse("accounts:organisation_detail", args=[organisation.slug])
    assert organisation.slug == "guria-volunteers"
    assert organisation.verified is False
    assert Membership.objects.get(organisation=organisation).user == other_learner
    assert Membership.objects.get(organisation=organisation).role == MembershipRole.ADMIN


@pytest.mark.django_db
def test_organisation_form_keeps_input_on_error(client_for, other_learner):
    response = client_for(other_learner).post(
        reverse("accounts:organisation_create"),
        {"name_ka": "ახალი ორგანიზაცია", "kind": "cso", "region": "", "website": "not a url"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="ახალი ორგანიზაცია"' in body
    assert Organisation.objects.filter(name_ka="ახალი ორგანიზაცია").exists() is False


@pytest.mark.django_db
def test_org_admin_invites_by_email_and_the_invitee_joins(client_for, org_admin, other_learner, admin_org):
    client = client_for(org_admin)
    client.post(
        reverse("accounts:organisation_invite", args=[admin_org.slug]),
        {"email": "Giorgi@Example.org", "role": "member"},
    )
    invitation = Invitation.objects.get()
    assert invitation.email == "giorgi@example.org"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["giorgi@example.org"]
    assert str(invitation.token) in mail.outbox[0].body
    assert "კახეთის ბიუჯეტის მონიტორინგი" in mail.outbox[0].subject

    client = client_for(other_learner)
    response = client.post(reverse("accounts:accept_invitation", args=[invitation.token]))
    assert response.status_code == 302
    assert Membership.objects.filter(organisation=admin_org, user=other_learner, role="member").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == other_learner


@pytest.mark.django_db
def test_inviting_the_same_address_twice_keeps_one_open_invitation(org_admin, admin_org):
    services.invite_member(organisation=admin_org, email="a@example.org", role="member", invited_by=org_admin)
    services.invite_member(organisation=admin_org, email="A@example.org", role="admin", invited_by=org_admin)
    assert list(Invitation.objects.values_list("email", "role")) == [("a@example.org", "admin")]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_an_invitation_cannot_be_taken_by_another_address_or_used_twice(
    client_for, org_admin, admin_org, other_learner, learner
):
    invitation = services.invite_member(
        organisation=admin_org, email=other_learner.email, role="member", invited_by=org_admin
    )
    response = client_for(learner).post(
        reverse("accounts:accept_invitation", args=[invitation.token]), follow=True
    )
    assert "ეს მოწვევა გაიგზავნა მისამართზე giorgi@example.org" in response.content.decode()
    assert not Membership.objects.filter(organisation=admin_org, user=learner).exists()
    services.accept_invitation(invitation=invitation, user=other_learner)
    with pytest.raises(services.InvitationError):
        services.accept_invitation(invitation=invitation, user=other_learner)
    assert Membership.objects.filter(organisation=admin_org, user=other_learner).count() == 1


@pytest.mark.django_db
def test_inviting_an_existing_member_is_refused_with_a_message(client_for, org_admin, admin_org):
    response = client_for(org_admin).post(
        reverse("accounts:organisation_invite", args=[admin_org.slug]),
        {"email": org_admin.email, "role": "member"},
    )
    assert "ეს ადამიანი უკვე წევრია." in response.content.decode()
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_members_list_is_shown_only_to_members_and_staff(
    client_for, org_admin, admin_org, other_learner, staff
):
    url = reverse("accounts:organisation_detail", args=[admin_org.slug])
    assert "მარიამ ხარაიშვილი" in client_for(org_admin).get(url).content.decode()
    assert "მარიამ ხარაიშვილი" in client_for(staff).get(url).content.decode()
    outsider_page = client_for(other_learner).get(url).content.decode()
    assert "კახეთის ბიუჯეტის მონიტორინგი" in outsider_page
    assert "მარიამ ხარაიშვილი" not in outsider_page


@pytest.mark.django_db
def test_staff_verification_is_recorded_in_the_audit_log(staff, admin_org):
    admin_org.verified = False
    admin_org.save()
    services.set_organisation_verified(organisation=admin_org, verified=True, by=staff)
    admin_org.refresh_from_db()
    assert admin_org.verified is True and admin_org.verified_at is not None
    entry = AuditEntry.objects.get(action="organisation.verify")
    assert (entry.actor, entry.target) == (staff, str(admin_org))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_my_organisations_page_issues_a_constant_number_of_queries(
    client_for, django_assert_num_queries, count
):
    user = UserFactory()
    for _ in range(count):
        Membership.objects.create(organisation=OrganisationFactory(), user=user)
    client = client_for(user)
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:organisation_list"))
    assert len(response.context["memberships"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_organisation_page_with_members_issues_a_constant_number_of_queries(
    client_for, django_assert_num_queries, staff, count
):
    organisation = OrganisationFactory()
    for _ in range(count):
        Membership.objects.create(organisation=organisation, user=UserFactory())
    client = client_for(staff)
    with django_assert_num_queries(6):
        response = client.get(reverse("accounts:organisation_detail", args=[organisation.slug]))
    assert response.content.decode().count("<li>ნინო ბერიძე") == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_profile_page_issues_a_constant_number_of_queries(client_for, django_assert_num_queries, count):
    user = UserFactory()
    services.set_expertise(user=user, names=[f"სფერო {i}" for i in range(count)])
    for _ in range(count):
        Membership.objects.create(organisation=OrganisationFactory(), user=user)
    client = client_for(user)
    with django_assert_num_queries(6):
        response = client.get(reverse("accounts:profile"))
    body = response.content.decode()
    assert body.count('<span class="badge">სფერო') == count
    assert body.count("/organisations/org-") == count


@pytest.mark.django_db
def test_bio_keeps_right_to_left_text_and_emoji_and_shows_it_with_auto_direction(client_for, learner):
    client = client_for(learner)
    data = {
        "full_name_ka": "ნინო ბერიძე",
        "full_name_latin": "Nino Beridze",
        "region": "",
        "municipality": "",
        "bio": "مرحبا 👋 გამარჯობა",
        "phone": "",
        "language": "ka",
        "expertise_text": "",
    }
    client.post(reverse("accounts:profile_edit"), data)
    learner.refresh_from_db()
    assert learner.bio == "مرحبا 👋 გამარჯობა"
    assert '<p dir="auto">مرحبا 👋 გამარჯობა</p>' in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.django_db
def test_org_admin_promotes_and_removes_members_but_never_the_last_admin(
    client_for, org_admin, admin_org, other_learner
):
    member = Membership.objects.create(organisation=admin_org, user=other_learner)
    client = client_for(org_admin)
    url = reverse("accounts:organisation_member", args=[admin_org.slug, member.pk])
    client.post(url, {"action": "make_admin"})
    member.refresh_from_db()
    assert member.role == MembershipRole.ADMIN
    own = Membership.objects.get(organisation=admin_org, user=org_admin)
    client.post(reverse("accounts:organisation_member", args=[admin_org.slug, own.pk]), {"action": "remove"})
    assert not Membership.objects.filter(pk=own.pk).exists()
    response = client_for(other_learner).post(
        reverse("accounts:organisation_member", args=[admin_org.slug, member.pk]),
        {"action": "make_member"},
        follow=True,
    )
    assert "ორგანიზაციას სჭირდება მინიმუმ ერთი ადმინისტრატორი" in response.content.decode()
    member.refresh_from_db()
    assert member.role == MembershipRole.ADMIN


@pytest.mark.django_db
def test_a_member_cannot_manage_another_organisations_members(client_for, learner, admin_org, org_admin):
    own = Membership.objects.get(organisation=admin_org, user=org_admin)
    response = client_for(learner).post(
        reverse("accounts:organisation_member", args=[admin_org.slug, own.pk]), {"action": "remove"}
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=own.pk).exists()
