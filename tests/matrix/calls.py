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
