from calls import services
from tests.calls.builders import GOOD, make_call, pdf
from tests.matrix import PUBLIC, SIGNED_IN, Row, expect

STAFF_404 = expect(404, anon=302, staff=200)


def build(world):
    world.call = make_call(slug="matrix-call", file=True)
    world.hidden_call = make_call(slug="matrix-hidden", published=False)
    application = services.start_application(call=world.call, user=world.learner)
    services.save_draft(application=application, by=world.learner, values=dict(GOOD), files={"cv": pdf()})
    world.application = services.submit_application(application=application, by=world.learner)
    services.screen(application=world.application, by=world.staff, compliant=True, note="")
    world.assignment = services.assign_reviewer(
        application=world.application, reviewer=world.reviewer, by=world.staff
    )
    services.declare_conflict(assignment=world.assignment, by=world.reviewer, conflict=False)
    world.calls_attachment = world.application.attachments.get()


def _call(w):
    return [w.call.slug]


def _app(w):
    return [w.application.pk]


OWNER = expect(404, anon=302, learner=200)

ROWS = [
    Row("calls:call_list", PUBLIC),
    Row("calls:call_detail", PUBLIC, args=_call),
    Row("calls:call_detail", expect(404, staff=200), args=lambda w: [w.hidden_call.slug], note="unpublished"),
    Row(
        "calls:start_application", expect(302), method="post", args=_call, data=lambda w: {"organisation": ""}
    ),
    Row("calls:my_applications", SIGNED_IN),
    Row("calls:application_detail", OWNER, args=_app),
    Row(
        "calls:application_form",
        expect(404, anon=302, learner=302),
        args=_app,
        note="submitted: back to the detail",
    ),
    Row(
        "calls:application_autosave",
        expect(404, anon=200, learner=200),
        method="post",
        args=_app,
        note="anon gets the 'session ended' fragment",
    ),
    Row(
        "calls:application_autosave",
        expect(200),
        args=_app,
        note="GET: a fresh CSRF token for the page (nothing of the application)",
    ),
    Row("calls:application_withdraw", expect(404, anon=302, learner=302), method="post", args=_app),
    Row(
        "calls:attachment",
        expect(404, anon=302, learner=200, reviewer=200, staff=200),
        args=lambda w: [w.application.pk, w.calls_attachment.pk],
    ),
    Row("calls:review_queue", expect(403, anon=302, reviewer=200)),
    Row("calls:review", expect(404, anon=302, reviewer=200), args=lambda w: [w.assignment.pk]),
    Row("calls:reviewer_export", expect(403, anon=302, reviewer=200), args=_call),
    Row("calls:outbox", expect(403, anon=302, staff=200)),
    Row("calls:manage_call", STAFF_404, args=_call),
    Row("calls:manage_application", STAFF_404, args=_app),
    Row(
        "calls:staff_action",
        expect(404, anon=302, staff=400),
        method="post",
        args=_app,
        data=lambda w: {"action": "nonsense"},
    ),
    Row(
        "calls:assign",
        expect(404, anon=302, staff=302),
        method="post",
        args=_app,
        data=lambda w: {"reviewer": ""},
    ),
    Row("calls:auto_assign", expect(404, anon=302, staff=302), method="post", args=_call),
    Row("calls:bulk_decide", expect(404, anon=302, staff=302), method="post", args=_call),
    Row("calls:export_csv", STAFF_404, args=_call),
    Row("calls:export_xlsx", STAFF_404, args=_call),
    Row("calls:export_attachments", STAFF_404, args=_call),
]

# --- feedback: feedback to applicants and decline reasons
ROWS += [
    Row("calls:feedback", STAFF_404, args=_app),
    Row(
        "calls:feedback",
        expect(404, anon=302, staff=200),
        method="post",
        args=_app,
        data=lambda w: {"prefill": "1"},
        note="start from the comments (nothing saved)",
    ),
    Row("calls:decline_reasons", STAFF_404, args=_call),
    Row("calls:decline_statistics", expect(403, anon=302, staff=200)),
    Row("calls:decline_statistics_csv", expect(403, anon=302, staff=200)),
    Row("calls:decline_statistics_xlsx", expect(403, anon=302, staff=200)),
]
# --- end feedback

# --- stages: two-stage calls and co-applicants
_build_before_stages = build


def build(world):  # noqa: F811 - extends the calls build above
    from accounts.models import MembershipRole
    from calls.models import CollaboratorRole
    from tests.factories import OrganisationFactory, make_member

    _build_before_stages(world)
    world.concept_call = make_call(slug="matrix-concept", kind="small_grant")
    world.full_call = make_call(slug="matrix-full", kind="small_grant", concept_stage=world.concept_call)
    team_org = OrganisationFactory(name_ka="მატრიცის გუნდი", name_en="Matrix team", slug="matrix-team")
    # Giorgi (other) applies for his own organisation; Tamar (reviewer), a member too, edits with him. (The
    # personas with an organisation keep exactly one: other matrix modules read it with .get().)
    make_member(world.other, team_org, MembershipRole.ADMIN)
    make_member(world.reviewer, team_org)
    team_call = make_call(slug="matrix-team-call", applicant_type="organisations", kind="small_grant")
    world.team_application = services.start_application(
        call=team_call, user=world.other, organisation=team_org
    )
    services.invite_collaborator(
        application=world.team_application,
        by=world.other,
        email=world.reviewer.email,
        role=CollaboratorRole.EDITOR,
    )
    services.save_draft(application=world.team_application, by=world.reviewer, values=dict(GOOD))


def _team(w):
    return [w.team_application.pk]


TEAM = expect(404, anon=302, other=200, reviewer=200)

ROWS += [
    Row("calls:call_detail", PUBLIC, args=lambda w: [w.full_call.slug], note="full-proposal stage"),
    Row("calls:manage_call", STAFF_404, args=lambda w: [w.concept_call.slug], note="concept-note stage"),
    Row("calls:application_detail", TEAM, args=_team, note="co-applicant (editor)"),
    Row("calls:application_form", TEAM, args=_team, note="co-applicant (editor)"),
    Row("calls:collaborators", expect(404, anon=302, other=200), args=_team),
    Row(
        "calls:collaborators",
        expect(404, anon=302, other=200),
        method="post",
        args=_team,
        data=lambda w: {"email": "", "role": "editor"},
        note="invalid: the form again",
    ),
    Row("calls:shortlist", expect(404, anon=302, staff=302), method="post", args=_app),
    Row("calls:bulk_shortlist", expect(404, anon=302, staff=302), method="post", args=_call),
]
# --- end stages

# --- review: the review cycle (late reviews and the nudge)
_build_before_review = build


def build(world):  # noqa: F811 - extends the calls build above
    from datetime import timedelta

    from django.utils import timezone

    _build_before_review(world)
    # The matrix call's review deadline has passed: its reviewer's assignment (no review yet) is late.
    type(world.call).objects.filter(pk=world.call.pk).update(
        review_deadline=timezone.now() - timedelta(days=1)
    )


ROWS += [
    Row("calls:late_reviews", STAFF_404, args=_call),
    Row(
        "calls:late_reviews",
        expect(404, anon=302, staff=302),
        method="post",
        args=_call,
        data=lambda w: {"assignment": w.assignment.pk},
        note="nudge the late reviewer",
    ),
]
# --- end review
