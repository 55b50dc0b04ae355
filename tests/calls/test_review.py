"""Reviewers: assignment rules, conflicts of interest, blind review, scoring and aggregation."""

import csv
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from calls import exports, services
from calls.models import Application, Assignment, Conflict, Review
from calls.services import CallsError
from tests.calls.builders import draft, in_review, make_call, pdf, scores_for
from tests.factories import UserFactory, give_role, make_member


@pytest.fixture
def second_reviewer(db):
    return give_role(
        UserFactory(
            email="levan@example.org", full_name_ka="ლევან გელაშვილი", full_name_latin="Levan Gelashvili"
        ),
        Role.REVIEWER,
    )


def ready(application, reviewer, staff):
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    assignment.refresh_from_db()
    return assignment


# --- assignment and conflicts -------------------------------------------------------------------------


def test_the_applicant_is_never_assigned_to_their_own_application(learner, staff):
    give_role(learner, Role.REVIEWER)
    application = in_review(make_call(), learner, staff)
    with pytest.raises(CallsError):
        services.assign_reviewer(application=application, reviewer=learner, by=staff)
    assert services.auto_assign(call=application.call, by=staff) == 0


def test_a_member_of_the_applicants_organisation_is_never_assigned(learner, learner_org, reviewer, staff):
    make_member(reviewer, learner_org)
    application = in_review(make_call(), learner, staff)
    with pytest.raises(CallsError) as error:
        services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    assert error.value.code == "conflict"
    assert services.auto_assign(call=application.call, by=staff) == 0


def test_a_reviewer_without_two_factor_cannot_be_assigned(learner, staff):
    no_mfa = give_role(UserFactory(), Role.REVIEWER, mfa=False)
    application = in_review(make_call(), learner, staff)
    with pytest.raises(CallsError):
        services.assign_reviewer(application=application, reviewer=no_mfa, by=staff)


def test_declaring_a_conflict_unassigns_and_the_reviewer_is_never_assigned_again(
    client_for, learner, reviewer, staff
):
    application = in_review(make_call(), learner, staff)
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    client = client_for(reviewer)
    html = client.get("/en" + reverse("calls:review", args=[assignment.pk])).content.decode()
    assert "conflict of interest" in html and "მოტივაცია" not in html  # answers hidden until declared
    client.post(reverse("calls:review", args=[assignment.pk]), {"conflict": "yes", "note": "ნათესავი"})
    assignment.refresh_from_db()
    assert assignment.conflict == Conflict.CONFLICT
    assert client.get(reverse("calls:review", args=[assignment.pk])).status_code == 404
    with pytest.raises(CallsError):
        services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    assert services.auto_assign(call=application.call, by=staff) == 0


def test_automatic_assignment_balances_the_load(
    learner, other_learner, org_admin, reviewer, second_reviewer, staff
):
    call = make_call(reviewers_per_application=1)
    for person in (learner, other_learner, org_admin):
        in_review(call, person, staff)
    assert services.auto_assign(call=call, by=staff) == 3
    loads = sorted(Assignment.objects.filter(application__call=call).values_list("reviewer_id", flat=True))
    assert sorted(loads.count(r.pk) for r in (reviewer, second_reviewer)) == [1, 2]
    assert services.auto_assign(call=call, by=staff) == 0  # already complete


def test_reviewer_is_notified_without_the_applicants_identity(
    learner, reviewer, staff, django_capture_on_commit_callbacks
):
    application = in_review(make_call(), learner, staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reviewer.email] and application.reference in message.subject
    for secret in ("ნინო", "Nino", learner.email, "Imereti Civic Lab"):
        assert secret not in message.body and secret not in message.subject


def test_reviewer_sees_only_assigned_applications(client_for, learner, other_learner, reviewer, staff):
    call = make_call()
    mine = ready(in_review(call, learner, staff), reviewer, staff)
    theirs = in_review(call, other_learner, staff)
    client = client_for(reviewer)
    assert client.get(reverse("calls:review", args=[mine.pk])).status_code == 200
    html = client.get(reverse("calls:review_queue")).content.decode()
    assert mine.application.reference in html and theirs.reference not in html
    assert client.get(reverse("calls:manage_application", args=[theirs.pk])).status_code == 404


# --- blind review -------------------------------------------------------------------------------------


def test_blind_review_leaks_no_identity_into_html_downloads_or_exports(client_for, learner, reviewer, staff):
    call = make_call(blind=True, file=True)
    application = draft(call, learner, files={"cv": pdf("Nino_Beridze_CV.pdf")})
    application = services.submit_application(application=application, by=learner)
    services.screen(application=application, by=staff, compliant=True, note="")
    assignment = ready(application, reviewer, staff)
    client = client_for(reviewer)
    secrets = ("ნინო", "ბერიძე", "Nino", "Beridze", learner.email, "იმერეთის", "Imereti")
    for lang in ("", "/en"):
        html = client.get(lang + reverse("calls:review", args=[assignment.pk])).content.decode()
        assert application.reference in html
        for secret in secrets:
            assert secret not in html, secret
    # A PDF's metadata cannot be guaranteed clean: in a blind call reviewers do not receive it (staff do).
    attachment = application.attachments.get()
    assert client.get(reverse("calls:attachment", args=[application.pk, attachment.pk])).status_code == 404
    export = client.get(reverse("calls:reviewer_export", args=[call.slug])).content.decode("utf-8-sig")
    assert application.reference in export
    for secret in secrets:
        assert secret not in export, secret


def test_staff_export_has_identity_and_scores(learner, reviewer, staff):
    call = make_call()
    application = in_review(call, learner, staff)
    assignment = ready(application, reviewer, staff)
    services.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, 10, 5),
        comments="",
        recommendation="accept",
        submit=True,
    )
    table = exports.rows(call, blind=False)
    assert table[1][:4] == [application.reference, "ნინო ბერიძე", learner.email, ""]
    assert "100.00" in table[1]
    assert learner.email not in str(exports.rows(call, blind=True))


def test_export_cells_cannot_run_spreadsheet_formulas(learner, staff):
    call = make_call()
    in_review(
        call,
        learner,
        staff,
        data={"motivation": '=HYPERLINK("http://evil")', "experience_years": "1", "full_name": "x"},
    )
    response = exports.csv_response(exports.rows(call, blind=False), "x.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert any(cell.startswith("'=HYPERLINK") for cell in rows[1])


# --- reviews and aggregation --------------------------------------------------------------------------


def test_review_draft_then_submit_computes_the_weighted_score(client_for, learner, reviewer, staff):
    call = make_call()
    assignment = ready(in_review(call, learner, staff), reviewer, staff)
    crit = list(call.criteria.all())
    client = client_for(reviewer)
    client.post(
        reverse("calls:review", args=[assignment.pk]),
        {f"score_{crit[0].pk}": "5", "comments": "კარგი", "save": "1"},
    )
    review = Review.objects.get(assignment=assignment)
    assert review.scores == {str(crit[0].pk): 5} and review.submitted_at is None
    response = client.post(
        "/en" + reverse("calls:review", args=[assignment.pk]), {f"score_{crit[0].pk}": "5", "submit": "1"}
    )
    assert (
        "Give a score." in response.content.decode()
        and "Choose a recommendation." in response.content.decode()
    )
    client.post(
        reverse("calls:review", args=[assignment.pk]),
        {
            f"score_{crit[0].pk}": "5",
            f"score_{crit[1].pk}": "5",
            "recommendation": "accept",
            "comments": "კარგი",
            "submit": "1",
        },
    )
    review.refresh_from_db()
    # (2 × 5/10 + 1 × 4/4) / 3 × 100 = 66.67
    assert review.total == Decimal("66.67") and review.is_submitted
    application = Application.objects.get(pk=assignment.application_id)
    assert (application.score, application.review_count) == (Decimal("66.67"), 1)


def test_scores_out_of_range_are_refused(learner, reviewer, staff):
    call = make_call()
    assignment = ready(in_review(call, learner, staff), reviewer, staff)
    with pytest.raises(CallsError) as error:
        services.save_review(
            assignment=assignment,
            by=reviewer,
            scores=scores_for(call, 11, 0),
            comments="",
            recommendation="accept",
            submit=True,
        )
    assert len(error.value.errors) == 2


@pytest.mark.parametrize(
    ("aggregation", "expected"), [("weighted_mean", Decimal("50.00")), ("median", Decimal("50.00"))]
)
def test_aggregation_and_disagreement_flag(learner, reviewer, second_reviewer, staff, aggregation, expected):
    call = make_call(aggregation=aggregation, disagreement_threshold=Decimal("30"))
    application = in_review(call, learner, staff)
    for person, values in ((reviewer, (10, 5)), (second_reviewer, (0, 1))):
        services.save_review(
            assignment=ready(application, person, staff),
            by=person,
            scores=scores_for(call, *values),
            comments="",
            recommendation="accept",
            submit=True,
        )
    application.refresh_from_db()
    assert application.score == expected and application.review_count == 2
    assert application.score_spread == Decimal("100.00") and application.disagreement


def test_others_reviews_are_visible_only_after_submitting_your_own(
    client_for, learner, reviewer, second_reviewer, staff
):
    call = make_call()
    application = in_review(call, learner, staff)
    first = ready(application, reviewer, staff)
    second = ready(application, second_reviewer, staff)
    services.save_review(
        assignment=second,
        by=second_reviewer,
        scores=scores_for(call, 3, 2),
        comments="საიდუმლო შეფასება",
        recommendation="reject",
        submit=True,
    )
    client = client_for(reviewer)
    assert "საიდუმლო შეფასება" not in client.get(reverse("calls:review", args=[first.pk])).content.decode()
    services.save_review(
        assignment=first,
        by=reviewer,
        scores=scores_for(call, 7, 4),
        comments="",
        recommendation="accept",
        submit=True,
    )
    html = client.get(reverse("calls:review", args=[first.pk])).content.decode()
    assert "საიდუმლო შეფასება" in html and "ლევან" not in html


def test_never_visibility_hides_other_reviews_even_after_submitting(
    client_for, learner, reviewer, second_reviewer, staff
):
    call = make_call(review_visibility="never")
    application = in_review(call, learner, staff)
    first, second = ready(application, reviewer, staff), ready(application, second_reviewer, staff)
    for assignment, person in ((first, reviewer), (second, second_reviewer)):
        services.save_review(
            assignment=assignment,
            by=person,
            scores=scores_for(call, 3, 2),
            comments=f"შენიშვნა {person.pk}",
            recommendation="reject",
            submit=True,
        )
    html = client_for(reviewer).get(reverse("calls:review", args=[first.pk])).content.decode()
    assert f"შენიშვნა {second_reviewer.pk}" not in html


def test_a_submitted_review_cannot_be_changed(learner, reviewer, staff):
    call = make_call()
    assignment = ready(in_review(call, learner, staff), reviewer, staff)
    services.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, 3, 2),
        comments="",
        recommendation="reject",
        submit=True,
    )
    with pytest.raises(CallsError):
        services.save_review(
            assignment=assignment,
            by=reviewer,
            scores=scores_for(call, 10, 5),
            comments="",
            recommendation="accept",
            submit=True,
        )
    assert Review.objects.get().total == Decimal("28.33")


@pytest.mark.parametrize("count", [1, 3])
def test_review_queue_lists_unfinished_reviews_first_with_constant_queries(
    client_for, reviewer, staff, count, django_assert_num_queries
):
    call = make_call()
    done = ready(in_review(call, UserFactory(), staff), reviewer, staff)
    services.save_review(
        assignment=done,
        by=reviewer,
        scores=scores_for(call, 10, 5),
        comments="",
        recommendation="accept",
        submit=True,
    )
    todo = [ready(in_review(call, UserFactory(), staff), reviewer, staff) for _ in range(count)]
    client = client_for(reviewer)
    client.get(reverse("calls:review_queue"))  # warm the session
    with django_assert_num_queries(6):  # with the viewer's roles and two-factor state
        html = client.get(reverse("calls:review_queue")).content.decode()
    positions = [html.index(a.application.reference) for a in todo]
    assert max(positions) < html.index(done.application.reference)


def test_review_queue_rows_show_the_link_the_call_its_export_and_the_state(client_for, reviewer, staff):
    call = make_call(title_en="Small grants <2026>")
    pending = services.assign_reviewer(
        application=in_review(call, UserFactory(), staff), reviewer=reviewer, by=staff
    )
    untouched, drafted, done = (
        ready(in_review(call, UserFactory(), staff), reviewer, staff) for _ in range(3)
    )
    services.save_review(
        assignment=drafted,
        by=reviewer,
        scores=scores_for(call, 4, 2),
        comments="",
        recommendation="",
        submit=False,
    )
    services.save_review(
        assignment=done,
        by=reviewer,
        scores=scores_for(call, 10, 5),
        comments="",
        recommendation="accept",
        submit=True,
    )
    html = client_for(reviewer).get(f"/en{reverse('calls:review_queue')}").content.decode()
    export = f"/en/calls/{call.slug}/reviews/export.csv"
    for assignment, state in (
        (pending, "Declare conflicts first"),
        (untouched, "Not started"),
        (drafted, "Draft"),
        (done, "Submitted"),
    ):
        assert (
            f'<tr>\n<td><a href="/en/calls/reviews/{assignment.pk}/">{assignment.application.reference}</a></td>\n'
            f'<td>Small grants &lt;2026&gt;<br><a class="small" href="{export}">Export my applications (CSV)</a></td>\n'
            f"<td>{state}</td>\n</tr>"
        ) in html
    html = client_for(reviewer).get("/calls/reviews/").content.decode()
    assert f">{call.title_ka}<br>" in html and "ჩემი განაცხადების ექსპორტი" in html


@pytest.mark.parametrize("extra_criteria", [1, 3])
def test_review_page_query_count_is_constant(
    client_for, learner, learner_org, reviewer, staff, extra_criteria, django_assert_num_queries
):
    from calls.models import Criterion

    call = make_call(applicant_type="both")
    for n in range(extra_criteria):
        Criterion.objects.create(
            call=call,
            position=10 + n,
            title_ka=f"კრიტერიუმი {n}",
            title_en=f"Criterion {n}",
            weight=Decimal("1"),
            min_score=0,
            max_score=5,
        )
    # Nino applies for her organisation as its administrator (only an administrator submits; issue 19)
    learner.memberships.filter(organisation=learner_org).update(role="admin")
    assignment = ready(in_review(call, learner, staff, organisation=learner_org), reviewer, staff)
    client = client_for(reviewer)
    url = reverse("calls:review", args=[assignment.pk])
    client.get(url)
    with django_assert_num_queries(8):  # the applicant and organisation come with the assignment
        html = client.get(url).content.decode()
    assert learner.display_name in html and learner_org.name in html


def test_long_review_queues_are_paged(client_for, reviewer, staff, monkeypatch):
    monkeypatch.setattr("calls.views.PAGE_SIZE", 2)
    call = make_call()
    assignments = [ready(in_review(call, UserFactory(), staff), reviewer, staff) for _ in range(3)]
    client = client_for(reviewer)
    first = client.get(reverse("calls:review_queue")).content.decode()
    second = client.get(reverse("calls:review_queue") + "?page=2").content.decode()
    shown_first = [a for a in assignments if a.application.reference in first]
    shown_second = [a for a in assignments if a.application.reference in second]
    assert (len(shown_first), len(shown_second)) == (2, 1)
    assert "გვერდი 1 / 2" in first and "გვერდი 2 / 2" in second


@pytest.mark.parametrize("count", [1, 3])
def test_review_queue_page_two_has_the_same_query_count(
    client_for, reviewer, staff, count, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("calls.views.PAGE_SIZE", 1)
    call = make_call()
    assignments = [ready(in_review(call, UserFactory(), staff), reviewer, staff) for _ in range(count + 1)]
    client = client_for(reviewer)
    url = reverse("calls:review_queue") + "?page=2"
    client.get(url)
    with django_assert_num_queries(6):
        html = client.get(url).content.decode()
    # Newest assignment first among the reviews still to write: page 2 holds the second newest.
    assert assignments[-2].application.reference in html
    assert assignments[-1].application.reference not in html
