"""Who submits an organisation's application (issue 19): a current administrator of the organisation or the
member it names. Giorgi, a plain member of Kakheti Budget Watch, starts its application and edits it; Mariam,
its administrator, submits it. The edit history names the questions by their labels."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, Membership, MembershipRole
from accounts.services import update_membership
from calls import queries, services
from calls.models import ApplicationEdit, Collaborator, CollaboratorRole, FormField, Status
from calls.services import CallsError
from tests.calls.builders import GOOD, draft, make_call
from tests.factories import OrganisationFactory, UserFactory, make_member


@pytest.fixture
def call(db):
    return make_call(applicant_type="organisations", kind="small_grant")


@pytest.fixture
def giorgi(other_learner, admin_org):
    make_member(other_learner, admin_org)
    return other_learner


@pytest.fixture
def started_by_member(call, giorgi, admin_org, org_admin):
    """Kakheti Budget Watch's application, started and written by Giorgi, a plain member."""
    return draft(call, giorgi, organisation=admin_org)


def demote(user, organisation, *, by):
    membership = Membership.objects.get(user=user, organisation=organisation)
    update_membership(membership=membership, action="make_member", by=by)


def test_a_member_who_started_it_edits_but_does_not_submit(started_by_member, giorgi):
    application = started_by_member
    services.save_draft(application=application, by=giorgi, values={"motivation": "გიორგის ტექსტი"})
    with pytest.raises(CallsError) as error:
        services.submit_application(application=application, by=giorgi)
    assert error.value.code == "not_submitter"
    assert "კახეთის ბიუჯეტის მონიტორინგი" in error.value.message
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert not application.reference
    assert application.data["motivation"] == "გიორგის ტექსტი"
    assert not application.events.filter(action="submit").exists()


def test_a_current_admin_submits_an_application_a_member_started(started_by_member, org_admin, giorgi):
    application = started_by_member
    services.submit_application(application=application, by=org_admin)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.reference.startswith("CH-")
    assert application.events.get(action="submit").actor == org_admin
    assert application.applicant == giorgi  # who started it stays the applicant


def test_an_admin_demoted_after_starting_the_draft_no_longer_submits(call, admin_org, org_admin):
    tamta = UserFactory(
        email="tamta@example.org", full_name_ka="თამთა ბერიძე", full_name_latin="Tamta Beridze"
    )
    make_member(tamta, admin_org, MembershipRole.ADMIN)
    application = draft(call, org_admin, organisation=admin_org)  # Mariam starts it as administrator
    demote(org_admin, admin_org, by=tamta)
    services.save_draft(application=application, by=org_admin, values={"motivation": "ჯერ კიდევ ვწერ"})
    with pytest.raises(CallsError) as error:
        services.submit_application(application=application, by=org_admin)
    assert error.value.code == "not_submitter"
    with pytest.raises(CallsError):
        services.withdraw_application(application=application, by=org_admin)
    assert queries.submitters_of(application) == [tamta]
    services.submit_application(application=application, by=tamta)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.data["motivation"] == "ჯერ კიდევ ვწერ"


def test_a_member_becomes_submitter_only_when_an_admin_names_them(started_by_member, giorgi, org_admin):
    application = started_by_member
    salome = UserFactory(email="salome@example.org", full_name_ka="სალომე ჩხეიძე")
    make_member(salome, application.organisation)
    with pytest.raises(CallsError) as error:  # Giorgi, the applicant, may not name the submitter
        services.invite_collaborator(
            application=application, by=giorgi, email=salome.email, role=CollaboratorRole.SUBMITTER
        )
    assert error.value.code == "not_admin"
    assert not Collaborator.objects.exists()
    # ...but invites editors; and the administrator names the submitter (and manages the team too).
    services.invite_collaborator(application=application, by=giorgi, email=salome.email, role="editor")
    services.invite_collaborator(
        application=application, by=org_admin, email=salome.email, role=CollaboratorRole.SUBMITTER
    )
    assert AuditEntry.objects.filter(action="calls.collaborator.role", actor=org_admin).count() == 1
    assert {u.email for u in queries.submitters_of(application)} == {org_admin.email, salome.email}
    services.submit_application(application=application, by=salome)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_resubmission_follows_the_same_rule(started_by_member, giorgi, org_admin, staff):
    application = started_by_member
    services.submit_application(application=application, by=org_admin)
    services.screen(application=application, by=staff, compliant=True, note="")
    services.request_more_information(
        application=application, by=staff, question="ბიუჯეტი?", open_fields=["motivation"]
    )
    application.refresh_from_db()
    with pytest.raises(CallsError) as error:
        services.resubmit_application(application=application, by=giorgi, answer="პასუხი")
    assert error.value.code == "not_submitter"
    services.resubmit_application(application=application, by=org_admin, answer="პასუხი")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_individual_applications_are_submitted_by_their_applicant(learner, other_learner):
    application = draft(make_call(), learner)
    with pytest.raises(CallsError):
        services.submit_application(application=application, by=other_learner)
    services.submit_application(application=application, by=learner)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# --- pages ---------------------------------------------------------------------------------------------------


def test_the_form_tells_the_member_who_submits(client_for, started_by_member, giorgi):
    page = (
        client_for(giorgi)
        .get(reverse("calls:application_form", args=[started_by_member.pk]))
        .content.decode()
    )
    assert 'name="submit"' not in page
    assert 'name="save"' in page  # the member keeps editing
    assert 'id="who-submits"' in page
    assert "მარიამ ხარაიშვილი" in page and "კახეთის ბიუჯეტის მონიტორინგი" in page
    detail = client_for(giorgi).get(reverse("calls:application_detail", args=[started_by_member.pk]))
    html = detail.content.decode()
    assert 'id="who-submits"' in html and "მარიამ ხარაიშვილი" in html
    assert "Withdraw the application" not in html and "განაცხადის გამოთხოვა" not in html


def test_a_submit_post_by_the_member_is_refused_and_the_draft_kept(client_for, started_by_member, giorgi):
    application = started_by_member
    data = {
        "revision": application.revision,
        "f_motivation": "ახალი ტექსტი, გაგზავნამდე",
        "submit": "1",
    }
    url = "/en" + reverse("calls:application_form", args=[application.pk])
    response = client_for(giorgi).post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only an administrator of the organisation (Kakheti Budget Watch)" in html  # the refusal says who
    assert 'id="who-submits"' in html
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert application.data["motivation"] == "ახალი ტექსტი, გაგზავნამდე"


def test_the_admin_finds_opens_and_submits_it(client_for, started_by_member, org_admin):
    application = started_by_member
    client = client_for(org_admin)
    mine = client.get(reverse("calls:my_applications")).content.decode()
    assert reverse("calls:application_detail", args=[application.pk]) in mine
    detail = client.get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    assert 'id="who-submits"' not in detail
    assert reverse("calls:collaborators", args=[application.pk]) in detail  # the admin manages the team
    form = client.get(reverse("calls:application_form", args=[application.pk])).content.decode()
    assert 'name="submit"' in form
    response = client.post(
        reverse("calls:application_form", args=[application.pk]),
        {"revision": application.revision, "submit": "1"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.events.get(action="submit").actor == org_admin


def test_an_outsider_still_gets_404(client_for, started_by_member, learner):
    make_member(learner, OrganisationFactory(slug="elsewhere"), MembershipRole.ADMIN)  # another organisation
    client = client_for(learner)
    for name in ("calls:application_detail", "calls:application_form", "calls:collaborators"):
        assert client.get(reverse(name, args=[started_by_member.pk])).status_code == 404


def test_the_team_page_offers_naming_the_submitter_only_to_an_admin(client_for, started_by_member, giorgi):
    url = reverse("calls:collaborators", args=[started_by_member.pk])
    page = client_for(giorgi).get(url).content.decode()
    assert 'value="submitter"' not in page
    response = client_for(giorgi).post(url, {"email": "mariam@example.org", "role": "submitter"})
    assert response.status_code == 200  # not offered: the form says so
    assert not Collaborator.objects.exists()


# --- the edit history names the questions ----------------------------------------------------------------


def test_the_edit_history_shows_labels_in_the_page_language(client_for, started_by_member, giorgi):
    application = started_by_member
    url = reverse("calls:application_detail", args=[application.pk])
    html = client_for(giorgi).get(url).content.decode()
    assert "მოტივაცია" in html and "სახელი და გვარი" in html
    english = client_for(giorgi).get("/en" + url).content.decode()
    assert "Motivation" in english and "Full name" in english
    FormField.objects.filter(call=application.call, key="motivation").delete()  # a question deleted since
    html = client_for(giorgi).get(url).content.decode()
    assert "motivation" in html  # its key stands in


@pytest.mark.parametrize("count", [1, 3])
def test_the_staff_page_names_the_questions_in_constant_queries(
    client_for, started_by_member, admin_org, staff, count, django_assert_num_queries
):
    application = started_by_member
    ApplicationEdit.objects.all().delete()
    for n in range(count):
        member = UserFactory(email=f"editor{n}@example.org")
        make_member(member, admin_org)
        services.invite_collaborator(
            application=application, by=application.applicant, email=member.email, role="editor"
        )
        services.save_draft(application=application, by=member, values={**GOOD, "motivation": f"ტექსტი {n}"})
    assert ApplicationEdit.objects.count() == count
    services.submit_application(application=application, by=admin_org.memberships.get(role="admin").user)
    client = client_for(staff)
    url = reverse("calls:manage_application", args=[application.pk])
    client.get(url)
    with django_assert_num_queries(24):  # as before: the labels come from the questions the page reads anyway
        html = client.get(url).content.decode()
    assert html.count("მოტივაცია") >= count + 1  # the question's label in each edit row (and the answers)


@pytest.mark.parametrize("count", [1, 3])
def test_who_submits_costs_one_query_for_any_number_of_admins(
    client_for, started_by_member, giorgi, admin_org, count, django_assert_num_queries
):
    for n in range(count - 1):
        make_member(UserFactory(email=f"admin{n}@example.org"), admin_org, MembershipRole.ADMIN)
    client = client_for(giorgi)
    url = reverse("calls:application_form", args=[started_by_member.pk])
    client.get(url)
    # the same for 1 or 3 administrators: one query names everyone who can submit
    with django_assert_num_queries(9):
        html = client.get(url).content.decode()
    assert html.count("<strong>", html.index('id="who-submits"')) >= count
