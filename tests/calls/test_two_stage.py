"""Two-stage calls: a concept-note call (stage 1) and its full-proposal call (stage 2, ``Call.concept_stage``).

Staff shortlist concept notes: the decision "shortlisted", the applicant's stage-2 draft with the concept note's
answers carried forward (created once), and an invitation letter through the outbox. The stage-2 draft and the
outcome reach the applicant when the letter is sent; only shortlisted applicants may apply to stage 2.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from calls import queries, services
from calls.forms import DecisionForm
from calls.models import (
    Application,
    ApplicationEvent,
    Attachment,
    Call,
    DecisionTemplate,
    FormField,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    Status,
)
from calls.services import STAFF, TRANSITIONS, CallsError
from tests.calls.builders import GOOD, draft, in_review, make_call, pdf


def two_stage(*, file=False, **stage2):
    """A published concept-note call and its full-proposal call (the same three questions, plus a plan)."""
    concept = make_call(kind="small_grant", file=file, min_reviews=1)
    defaults = {
        "kind": "small_grant",
        "concept_stage": concept,
        "opens_at": timezone.now() - timedelta(hours=1),
        "closes_at": timezone.now() + timedelta(days=40),
        "title_ka": "სრული განაცხადი",
        "title_en": "Full proposal",
    }
    defaults.update(stage2)
    full = make_call(file=file, **defaults)
    FormField.objects.create(
        call=full,
        position=9,
        key="work_plan",
        kind="long_text",
        label_ka="სამუშაო გეგმა",
        label_en="Work plan",
    )
    return concept, full


def reviewed(call, user, staff, **kwargs):
    """A concept note in review that a reviewer has scored (the score columns as recompute_scores keeps them)."""
    application = in_review(call, user, staff, **kwargs)
    Application.objects.filter(pk=application.pk).update(review_count=1, score=70)
    application.refresh_from_db()
    return application


def send_letters(staff):
    services.approve_outbox(
        messages=list(OutboxMessage.objects.filter(status=OutboxStatus.PENDING)), by=staff
    )
    for letter in OutboxMessage.objects.filter(status=OutboxStatus.APPROVED):
        services.deliver_outbox_message(letter.pk)


# --- the table and the service -------------------------------------------------------------------------------


def test_the_table_has_shortlisting_for_staff_from_review_only():
    edges = {(t.source, t.action, t.target, t.role) for t in TRANSITIONS.values() if t.action == "shortlist"}
    assert edges == {("in_review", "shortlist", "decided", STAFF)}


@pytest.mark.parametrize("status", Status.values)
def test_shortlisting_is_possible_exactly_from_review(status, learner, staff):
    concept, full = two_stage()
    application = Application.objects.create(
        call=concept,
        applicant=learner,
        status=status,
        data=dict(GOOD),
        review_count=1,
        reference=f"CH-TEST-{Status.values.index(status)}",  # references are at most 20 characters
    )
    if status == Status.IN_REVIEW:
        services.shortlist(application=application, by=staff)
        application.refresh_from_db()
        assert (application.status, application.outcome) == (Status.DECIDED, Outcome.SHORTLISTED)
        assert Application.objects.filter(call=full, applicant=learner, invited_from=application).count() == 1
    else:
        with pytest.raises(CallsError):
            services.shortlist(application=application, by=staff)
        application.refresh_from_db()
        assert application.status == status
        assert not Application.objects.filter(call=full).exists()
        assert not OutboxMessage.objects.exists()


def test_shortlisting_invites_with_the_answers_carried_forward(learner, staff):
    concept, full = two_stage(file=True)
    application = reviewed(concept, learner, staff, files={"cv": pdf()})
    services.shortlist(application=application, by=staff, note="strong idea")
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.DECIDED, Outcome.SHORTLISTED)
    stage2 = Application.objects.get(call=full)
    assert (stage2.applicant, stage2.status, stage2.invited_from) == (learner, Status.DRAFT, application)
    assert {k: stage2.data[k] for k in GOOD} == GOOD
    assert "work_plan" not in stage2.data
    copy = Attachment.objects.get(application=stage2)
    assert stage2.data["cv"] == copy.pk
    assert copy.file.name == application.attachments.get().file.name
    event = ApplicationEvent.objects.get(application=application, action="shortlist")
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "in_review",
        "decided",
        staff,
        "strong idea",
    )
    assert ApplicationEvent.objects.filter(application=stage2, action="invited").count() == 1
    assert AuditEntry.objects.filter(action="calls.application.shortlist", actor=staff).count() == 1
    letter = OutboxMessage.objects.get()
    assert (letter.application, letter.status, letter.to_email) == (application, "pending", learner.email)
    assert "სრული განაცხადი" in letter.body and "Full proposal" in letter.body
    assert reverse("calls:application_form", args=[stage2.pk]) in letter.body
    assert "Invitation to submit a full proposal" in letter.subject


def test_shortlisting_twice_creates_one_draft_and_one_letter(learner, staff):
    concept, full = two_stage()
    application = reviewed(concept, learner, staff)
    services.shortlist(application=application, by=staff)
    services.shortlist(application=application, by=staff)
    services.shortlist_many(applications=[application], by=staff)
    assert Application.objects.filter(call=full).count() == 1
    assert OutboxMessage.objects.count() == 1
    assert ApplicationEvent.objects.filter(action="shortlist").count() == 1


def test_a_call_without_a_full_stage_cannot_shortlist(learner, staff):
    call = make_call()
    application = reviewed(call, learner, staff)
    with pytest.raises(CallsError) as error:
        services.shortlist(application=application, by=staff)
    assert error.value.code == "not_two_stage"


def test_shortlisting_needs_a_review(learner, staff):
    concept, _full = two_stage()
    application = in_review(concept, learner, staff)
    with pytest.raises(CallsError) as error:
        services.shortlist(application=application, by=staff)
    assert error.value.code == "reviews"


def test_only_staff_shortlist(learner, reviewer, staff):
    concept, full = two_stage()
    application = reviewed(concept, learner, staff)
    with pytest.raises(CallsError):
        services.shortlist(application=application, by=reviewer)
    assert not Application.objects.filter(call=full).exists()


def test_decide_never_gives_the_shortlisted_outcome(learner, staff):
    concept, _full = two_stage()
    application = reviewed(concept, learner, staff)
    with pytest.raises(CallsError):
        services.decide(application=application, by=staff, outcome=Outcome.SHORTLISTED)
    assert Outcome.SHORTLISTED not in dict(DecisionForm().fields["outcome"].choices)


def test_the_calls_letter_for_shortlisted_is_used_with_the_invitation(learner, staff):
    concept, full = two_stage()
    DecisionTemplate.objects.create(
        call=concept,
        outcome=Outcome.SHORTLISTED,
        subject_ka="თქვენი კონცეფცია შერჩეულია",
        subject_en="Your concept note is shortlisted",
        body_ka="ძვირფასო {name}, {reference} შერჩეულია.",
        body_en="Dear {name}, {reference} is shortlisted.",
    )
    application = reviewed(concept, learner, staff)
    services.shortlist(application=application, by=staff)
    letter = OutboxMessage.objects.get()
    assert letter.subject.startswith("თქვენი კონცეფცია შერჩეულია")
    assert f"Dear Nino Beridze, {application.reference} is shortlisted." in letter.body
    draft_pk = Application.objects.get(call=full).pk
    assert reverse("calls:application_form", args=[draft_pk]) in letter.body


# --- what the applicant sees ----------------------------------------------------------------------------------


def test_the_draft_reaches_the_applicant_with_the_letter(client_for, learner, staff):
    concept, full = two_stage()
    application = reviewed(concept, learner, staff)
    services.shortlist(application=application, by=staff)
    stage2 = Application.objects.get(call=full)
    client = client_for(learner)
    assert client.get(reverse("calls:application_detail", args=[stage2.pk])).status_code == 404
    assert client.get(reverse("calls:application_form", args=[stage2.pk])).status_code == 404
    mine = client.get(reverse("calls:my_applications")).content.decode()
    assert "სრული განაცხადი" not in mine
    assert "შერჩეულია" not in client.get(application.get_absolute_url()).content.decode()
    mail.outbox.clear()
    send_letters(staff)
    assert [m.to for m in mail.outbox] == [[learner.email]]
    mine = client.get(reverse("calls:my_applications")).content.decode()
    assert reverse("calls:application_form", args=[stage2.pk]) in mine
    concept_page = client.get(application.get_absolute_url()).content.decode()
    assert "შერჩეულია" in concept_page  # the outcome, in Georgian
    assert f'href="{reverse("calls:application_detail", args=[stage2.pk])}"' in concept_page
    assert "სრული განაცხადის მონახაზის გახსნა" in concept_page
    form = client.get(reverse("calls:application_form", args=[stage2.pk])).content.decode()
    assert GOOD["motivation"] in form
    assert "სამუშაო გეგმა" in form


def test_the_shortlisted_applicant_submits_the_full_proposal(client_for, learner, staff):
    concept, full = two_stage()
    application = reviewed(concept, learner, staff)
    services.shortlist(application=application, by=staff)
    send_letters(staff)
    stage2 = Application.objects.get(call=full)
    services.save_draft(application=stage2, by=learner, values={"work_plan": "ივნისში ვიწყებთ"})
    services.submit_application(application=stage2, by=learner)
    stage2.refresh_from_db()
    assert stage2.status == Status.SUBMITTED and stage2.reference
    assert services.eligibility(call=full, user=learner) == []


def test_only_shortlisted_applicants_may_apply_to_the_full_stage(client_for, learner, other_learner, staff):
    concept, full = two_stage()
    failures = services.eligibility(call=full, user=other_learner)
    assert len(failures) == 1
    assert concept.title_ka in failures[0].message
    assert failures[0].links == [(reverse("calls:call_detail", args=[concept.slug]), concept.title_ka)]
    page = client_for(other_learner).get(reverse("calls:call_detail", args=[full.slug])).content.decode()
    assert "მხოლოდ" in page or "Only" in page
    assert reverse("calls:start_application", args=[full.slug]) not in page
    response = client_for(other_learner).post(
        reverse("calls:start_application", args=[full.slug]), {"organisation": ""}
    )
    assert response.status_code == 302
    assert not Application.objects.filter(call=full).exists()
    # Shortlisted but the letter not sent yet: still not eligible.
    application = reviewed(concept, learner, staff)
    services.shortlist(application=application, by=staff)
    assert services.eligibility(call=full, user=learner) != []
    send_letters(staff)
    assert services.eligibility(call=full, user=learner) == []


def test_a_rejected_concept_note_gets_a_letter_and_no_draft(learner, staff):
    concept, full = two_stage()
    application = reviewed(concept, learner, staff)
    services.decide(application=application, by=staff, outcome=Outcome.REJECTED)
    assert OutboxMessage.objects.filter(application=application).count() == 1
    assert not Application.objects.filter(call=full).exists()


def test_the_public_pages_tell_the_stages_apart(client, learner, staff):
    concept, full = two_stage()
    listing = client.get(reverse("calls:call_list")).content.decode()
    assert concept.title_ka in listing and full.title_ka not in listing
    first = client.get(reverse("calls:call_detail", args=[concept.slug])).content.decode()
    assert "კონცეფცი" in first
    second = client.get(reverse("calls:call_detail", args=[full.slug])).content.decode()
    assert reverse("calls:call_detail", args=[concept.slug]) in second
    assert list(queries.open_and_upcoming_calls()) == [concept]


# --- staff pages ----------------------------------------------------------------------------------------------


def test_staff_shortlist_from_the_application_page(client_for, learner, staff):
    concept, full = two_stage()
    application = reviewed(concept, learner, staff)
    client = client_for(staff)
    page = client.get(reverse("calls:manage_application", args=[application.pk])).content.decode()
    assert reverse("calls:shortlist", args=[application.pk]) in page
    assert reverse("calls:manage_call", args=[full.slug]) in page
    response = client.post(reverse("calls:shortlist", args=[application.pk]), {"note": "კარგი"})
    assert response.status_code == 302
    stage2 = Application.objects.get(call=full)
    page = client.get(reverse("calls:manage_application", args=[application.pk])).content.decode()
    assert reverse("calls:manage_application", args=[stage2.pk]) in page
    assert reverse("calls:shortlist", args=[application.pk]) not in page
    stage2_page = client.get(reverse("calls:manage_application", args=[stage2.pk])).content.decode()
    assert reverse("calls:manage_application", args=[application.pk]) in stage2_page


def test_staff_shortlist_selected_from_the_ranking(client_for, learner, other_learner, staff):
    concept, full = two_stage()
    first = reviewed(concept, learner, staff)
    second = reviewed(concept, other_learner, staff)
    client = client_for(staff)
    page = client.get(reverse("calls:manage_call", args=[concept.slug])).content.decode()
    assert reverse("calls:bulk_shortlist", args=[concept.slug]) in page
    assert reverse("calls:manage_call", args=[full.slug]) in page
    client.post(reverse("calls:bulk_shortlist", args=[concept.slug]), {"application": [first.pk]})
    assert list(Application.objects.filter(call=full).values_list("invited_from", flat=True)) == [first.pk]
    page = client.get(reverse("calls:manage_call", args=[concept.slug])).content.decode()
    assert '<strong class="shortlisted-count">1</strong>' in page
    back = client.get(reverse("calls:manage_call", args=[full.slug])).content.decode()
    assert reverse("calls:manage_call", args=[concept.slug]) in back
    assert reverse("calls:bulk_shortlist", args=[full.slug]) not in back
    second.refresh_from_db()
    assert second.status == Status.IN_REVIEW


def test_bulk_shortlist_reports_what_it_could_not_do(client_for, learner, staff):
    concept, full = two_stage()
    application = in_review(concept, learner, staff)  # no review yet
    response = client_for(staff).post(
        reverse("calls:bulk_shortlist", args=[concept.slug]), {"application": [application.pk]}, follow=True
    )
    assert application.reference in response.content.decode()
    assert not Application.objects.filter(call=full).exists()


@pytest.mark.parametrize("count", [1, 3])
def test_the_two_stage_ranking_page_query_count_is_constant(
    client_for, staff, count, django_assert_num_queries, learner
):
    from tests.factories import UserFactory

    concept, _full = two_stage()
    for _n in range(count):
        reviewed(concept, UserFactory(), staff)
    client = client_for(staff)
    client.get(reverse("calls:manage_call", args=[concept.slug]))
    with django_assert_num_queries(
        10
    ):  # the ranking page's 8 (with the feedback helper's), and the shortlist count
        client.get(reverse("calls:manage_call", args=[concept.slug]))


def test_one_full_stage_per_concept_stage(learner):
    concept, _full = two_stage()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_call(concept_stage=concept)
    assert Call.objects.filter(concept_stage=concept).count() == 1


def test_draft_helper_still_starts_ordinary_applications(learner):
    concept, _full = two_stage()
    assert draft(concept, learner).status == Status.DRAFT


def test_the_demo_shows_a_two_stage_call_and_a_co_applicant(db):
    from accounts import demo as accounts_demo
    from calls import demo
    from calls.models import ApplicationEdit, Collaborator

    accounts_demo.seed()
    demo.seed()
    demo.seed()  # idempotent
    concept = Call.objects.get(slug="civic-ideas-2026-concept")
    full = Call.objects.get(slug="civic-ideas-2026-full")
    assert full.concept_stage == concept
    shortlisted = Application.objects.get(call=concept, applicant__email="giorgi@demo.civichub.ge")
    assert (shortlisted.status, shortlisted.outcome) == (Status.DECIDED, Outcome.SHORTLISTED)
    assert shortlisted.decision_published_at is not None  # the invitation was sent
    stage2 = Application.objects.get(call=full)
    assert stage2.invited_from == shortlisted and stage2.status == Status.DRAFT
    assert stage2.data["idea_title"] == shortlisted.data["idea_title"]
    declined = Application.objects.get(call=concept, applicant__email="nino@demo.civichub.ge")
    assert (declined.status, declined.outcome) == (Status.DECIDED, Outcome.REJECTED)
    assert OutboxMessage.objects.get(application=declined).status == OutboxStatus.PENDING
    grant = Application.objects.get(
        call__slug="small-grants-2026", applicant__email="orgadmin@demo.civichub.ge"
    )
    collaborator = Collaborator.objects.get(application=grant)
    assert (collaborator.user.email, collaborator.role) == ("giorgi@demo.civichub.ge", "editor")
    editors = set(ApplicationEdit.objects.filter(application=grant).values_list("user__email", flat=True))
    assert editors == {"orgadmin@demo.civichub.ge", "giorgi@demo.civichub.ge"}


def test_the_admin_refuses_a_chain_or_a_loop_of_stages(learner):
    from calls.admin import CallAdminForm

    concept, full = two_stage()
    other = make_call()

    def form_for(call, concept_stage):
        data = {
            f.name: getattr(call, f.attname)
            for f in Call._meta.concrete_fields
            if f.editable and f.name not in ("id", "concept_stage")
        }
        data.update(concept_stage=concept_stage.pk if concept_stage else "", regions=[])
        return CallAdminForm(data, instance=call)

    assert "concept_stage" in form_for(other, other).errors  # itself
    assert "concept_stage" in form_for(other, full).errors  # a full-proposal stage
    assert "concept_stage" in form_for(concept, other).errors  # a concept-note stage cannot have one
    assert "concept_stage" not in form_for(other, make_call()).errors
