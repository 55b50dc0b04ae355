"""Co-applicants: the applicant of an organisation's application invites members of the organisation as viewers,
editors or a submitter; editors save with the draft's conflict-safe merge; every save is attributed."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, MembershipRole
from calls import drafts, services
from calls.models import Application, ApplicationEdit, Collaborator, CollaboratorRole, Status
from calls.services import CallsError
from tests.calls.builders import GOOD, draft, make_call
from tests.factories import UserFactory, make_member


@pytest.fixture
def team(org_admin, admin_org, other_learner, learner):
    """Mariam's application for Kakheti Budget Watch; Giorgi and Salome are members, Nino is not."""
    make_member(other_learner, admin_org)
    salome = UserFactory(
        email="salome@example.org",
        full_name_ka="სალომე ჩხეიძე",
        full_name_latin="Salome Chkheidze",
        language="en",
    )
    make_member(salome, admin_org)
    call = make_call(applicant_type="organisations", kind="small_grant")
    application = draft(call, org_admin, organisation=admin_org)
    return application, other_learner, salome


def invite(application, user, role=CollaboratorRole.EDITOR):
    return services.invite_collaborator(
        application=application, by=application.applicant, email=user.email.upper(), role=role
    )


def test_the_applicant_invites_a_member_by_email(team, org_admin, django_capture_on_commit_callbacks):
    application, giorgi, salome = team
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite(application, giorgi)
        invite(application, salome, CollaboratorRole.VIEWER)
    assert {(c.user, c.role, c.invited_by) for c in Collaborator.objects.all()} == {
        (giorgi, "editor", org_admin),
        (salome, "viewer", org_admin),
    }
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "განაცხადზე სამუშაოდ" in by_address[giorgi.email].subject  # Giorgi reads Georgian
    assert "You are invited to work on an application" in by_address[salome.email].subject  # Salome English
    assert reverse("calls:application_detail", args=[application.pk]) in by_address[salome.email].body
    assert AuditEntry.objects.filter(action="calls.collaborator.invite", actor=org_admin).count() == 2
    # Inviting again changes the role and sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite(application, giorgi, CollaboratorRole.SUBMITTER)
    assert Collaborator.objects.get(user=giorgi).role == "submitter"
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="calls.collaborator.role").count() == 1


def test_only_members_of_the_organisation_and_only_by_the_applicant(team, learner, learner_org):
    application, giorgi, _salome = team
    with pytest.raises(CallsError) as error:
        invite(application, learner)  # Nino is not a member of Kakheti Budget Watch
    assert error.value.code == "not_member"
    with pytest.raises(CallsError):
        services.invite_collaborator(application=application, by=giorgi, email=learner.email, role="editor")
    with pytest.raises(CallsError):
        invite(application, application.applicant)
    individual = draft(make_call(), learner)
    with pytest.raises(CallsError) as error:
        services.invite_collaborator(application=individual, by=learner, email=learner.email, role="editor")
    assert error.value.code == "not_organisation"
    assert not Collaborator.objects.exists()


def test_who_sees_the_application(client_for, team, personas, learner):
    application, giorgi, salome = team
    invite(application, giorgi)
    invite(application, salome, CollaboratorRole.VIEWER)
    detail = reverse("calls:application_detail", args=[application.pk])
    form = reverse("calls:application_form", args=[application.pk])
    team_page = reverse("calls:collaborators", args=[application.pk])
    expected = {
        "anon": (302, 302, 302),
        "learner": (404, 404, 404),
        "other": (200, 200, 404),  # Giorgi edits
        "reviewer": (404, 404, 404),
        "org_admin": (200, 200, 200),
        "staff": (404, 404, 404),
        "mentor": (404, 404, 404),
        "host": (404, 404, 404),
    }
    for name, statuses in expected.items():
        client = client_for(personas[name])
        got = tuple(client.get(url).status_code for url in (detail, form, team_page))
        assert got == statuses, name
    client = client_for(salome)
    assert client.get(detail).status_code == 200
    assert client.get(form).status_code == 302  # reads only: back to the application
    assert client.get(team_page).status_code == 404


def test_editors_save_and_viewers_cannot(team):
    application, giorgi, salome = team
    invite(application, giorgi)
    invite(application, salome, CollaboratorRole.VIEWER)
    services.save_draft(application=application, by=giorgi, values={"motivation": "გიორგის ტექსტი"})
    application.refresh_from_db()
    assert application.data["motivation"] == "გიორგის ტექსტი"
    with pytest.raises(CallsError):
        services.save_draft(application=application, by=salome, values={"motivation": "x"})


def test_two_editors_in_different_fields_both_keep_their_words(team, org_admin):
    application, giorgi, _salome = team
    invite(application, giorgi)
    keys = list(GOOD)
    base = drafts.fingerprints(application.data, keys)  # both pages opened on the same revision
    services.save_draft(
        application=application, by=org_admin, values={**application.data, "motivation": "მარიამი"}, base=base
    )
    stale = Application.objects.get(pk=application.pk)
    stale.data = dict(GOOD)
    services.save_draft(application=stale, by=giorgi, values={**GOOD, "experience_years": "12"}, base=base)
    application.refresh_from_db()
    assert (application.data["motivation"], application.data["experience_years"]) == ("მარიამი", "12")
    # The same answer changed on both pages: nothing is overwritten, the second page is shown both versions.
    base = drafts.fingerprints(application.data, keys)
    services.save_draft(application=application, by=org_admin, values={"full_name": "ა"}, base=base)
    saved = services.save_draft(application=application, by=giorgi, values={"full_name": "ბ"}, base=base)
    assert [c.key for c in saved.conflicts] == ["full_name"]
    application.refresh_from_db()
    assert application.data["full_name"] == "ა"


def test_every_edit_is_attributed(client_for, team, org_admin, staff):
    application, giorgi, _salome = team
    invite(application, giorgi)
    start = timezone.now()
    ApplicationEdit.objects.all().delete()
    with time_machine.travel(start, tick=False):
        services.save_draft(application=application, by=giorgi, values={"motivation": "ერთი"})
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        services.save_draft(application=application, by=giorgi, values={"experience_years": "4"})
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        services.save_draft(application=application, by=org_admin, values={"full_name": "მარიამ ხ."})
    with time_machine.travel(start + timedelta(minutes=40), tick=False):
        services.save_draft(application=application, by=giorgi, values={"motivation": "ორი"})
    rows = [(e.user, e.keys, e.saves) for e in ApplicationEdit.objects.order_by("at", "pk")]
    assert rows == [
        (giorgi, ["experience_years", "motivation"], 2),
        (org_admin, ["full_name"], 1),
        (giorgi, ["motivation"], 1),
    ]
    page = (
        client_for(org_admin).get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    )
    assert "გიორგი კაპანაძე" in page and "მოტივაცია, გამოცდილება (წელი)" in page  # labels, in form order


def test_an_unchanged_save_records_nothing_and_individual_applications_none(team, learner):
    application, giorgi, _salome = team
    invite(application, giorgi)
    before = ApplicationEdit.objects.count()
    services.save_draft(application=application, by=giorgi, values=dict(application.data))
    assert ApplicationEdit.objects.count() == before
    individual = draft(make_call(), learner)
    services.save_draft(application=individual, by=learner, values={"motivation": "სხვა"})
    assert not ApplicationEdit.objects.filter(application=individual).exists()


def test_only_the_applicant_or_the_named_submitter_submits(client_for, team, org_admin):
    application, giorgi, salome = team
    invite(application, giorgi)
    with pytest.raises(CallsError):
        services.submit_application(application=application, by=giorgi)
    page = client_for(giorgi).get(reverse("calls:application_form", args=[application.pk])).content.decode()
    assert 'name="submit"' not in page
    assert "მარიამ ხარაიშვილი" in page  # who submits
    invite(application, giorgi, CollaboratorRole.SUBMITTER)
    page = client_for(giorgi).get(reverse("calls:application_form", args=[application.pk])).content.decode()
    assert 'name="submit"' in page
    services.submit_application(application=application, by=giorgi)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    event = application.events.get(action="submit")
    assert event.actor == giorgi
    assert application.applicant == org_admin  # the applicant stays the organisation's admin


def test_removing_a_co_applicant_ends_their_access(client_for, team, org_admin):
    application, giorgi, _salome = team
    collaborator = invite(application, giorgi)
    client = client_for(org_admin)
    page = client.get(reverse("calls:collaborators", args=[application.pk])).content.decode()
    assert "გიორგი კაპანაძე" in page
    client.post(reverse("calls:collaborators", args=[application.pk]), {"remove": collaborator.pk})
    assert not Collaborator.objects.exists()
    assert AuditEntry.objects.filter(action="calls.collaborator.remove").count() == 1
    assert (
        client_for(giorgi).get(reverse("calls:application_detail", args=[application.pk])).status_code == 404
    )


def test_the_team_page_invites_and_shows_errors(client_for, team, org_admin, learner):
    application, giorgi, _salome = team
    client = client_for(org_admin)
    url = reverse("calls:collaborators", args=[application.pk])
    response = client.post(url, {"email": learner.email, "role": "editor"})
    assert response.status_code == 200
    assert "ორგანიზაციის არცერთ წევრს" in response.content.decode()
    response = client.post(url, {"email": giorgi.email, "role": "viewer"})
    assert response.status_code == 302
    assert Collaborator.objects.get().role == "viewer"


def test_collaborations_are_listed_under_my_applications(client_for, team):
    application, giorgi, _salome = team
    invite(application, giorgi, CollaboratorRole.VIEWER)
    page = client_for(giorgi).get(reverse("calls:my_applications")).content.decode()
    assert reverse("calls:application_detail", args=[application.pk]) in page
    assert "მარიამ ხარაიშვილი" in page


def test_staff_see_the_team_and_the_edits(client_for, team, staff):
    application, giorgi, _salome = team
    invite(application, giorgi)
    services.save_draft(application=application, by=giorgi, values={"motivation": "გიორგი წერს"})
    services.submit_application(application=application, by=application.applicant)
    page = client_for(staff).get(reverse("calls:manage_application", args=[application.pk])).content.decode()
    assert "გიორგი კაპანაძე" in page and "მოტივაცია" in page


def test_co_applicants_are_never_assigned_as_reviewers(team, staff):
    application, giorgi, _salome = team
    invite(application, giorgi)
    assert giorgi.pk in services._excluded_reviewer_ids(application)


@pytest.mark.parametrize("count", [1, 3])
def test_the_team_page_query_count_is_constant(client_for, team, admin_org, count, django_assert_num_queries):
    application, _giorgi, _salome = team
    for n in range(count):
        member = UserFactory(email=f"member{n}@example.org")
        make_member(member, admin_org, MembershipRole.MEMBER)
        invite(application, member)
    client = client_for(application.applicant)
    url = reverse("calls:collaborators", args=[application.pk])
    client.get(url)
    # session, user, the application, its co-applicants, the viewer's roles, the viewer's admin organisations
    with django_assert_num_queries(6):
        client.get(url)


@pytest.mark.parametrize("count", [1, 3])
def test_the_application_page_query_count_is_constant(
    client_for, team, admin_org, count, django_assert_num_queries
):
    application, _giorgi, _salome = team
    for n in range(count):
        member = UserFactory(email=f"member{n}@example.org")
        make_member(member, admin_org)
        invite(application, member)
        services.save_draft(application=application, by=member, values={"motivation": f"ტექსტი {n}"})
    client = client_for(application.applicant)
    url = reverse("calls:application_detail", args=[application.pk])
    client.get(url)
    # the same for 1 or 3 co-applicants and their edits (one query each for the team and the edits; one for the
    # viewer's admin organisations: who submits)
    with django_assert_num_queries(11):
        client.get(url)
