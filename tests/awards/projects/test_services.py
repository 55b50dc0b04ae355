"""Grant projects: starting, set-up, reports (transition table), payments, completion, reminders."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEntry
from awards.models import GrantProject, Payment, ProjectEditor, Report, ReportVersion
from awards.services import projects as services
from awards.services.projects import EDITOR, STAFF, TRANSITIONS, ProjectError
from tests.awards.projects.builders import accepted_offer, project_for, write_report

pytestmark = pytest.mark.django_db


def test_start_project_copies_the_budget_and_is_idempotent(learner, learner_org):
    offer = accepted_offer(learner, organisation=learner_org, amount=Decimal("7000"))
    project = services.start_project(offer=offer, by=learner)
    again = services.start_project(offer=offer, by=learner)
    assert again.pk == project.pk
    assert GrantProject.objects.count() == 1
    assert project.amount == Decimal("7000")
    assert project.organisation == learner_org
    assert [(b.item, b.quantity, b.unit_cost, b.total) for b in project.budget.all()] == [
        ("ტრენინგები მუნიციპალიტეტებში", Decimal("4"), Decimal("1500"), Decimal("6000")),
        ("ანგარიშის ბეჭდვა", Decimal("200"), Decimal("10"), Decimal("2000")),
    ]
    assert list(ProjectEditor.objects.values_list("user_id", flat=True)) == [learner.pk]
    assert AuditEntry.objects.filter(action="awards.project.start").count() == 1


def test_tranches_cannot_exceed_the_approved_amount(learner, learner_org, staff):
    project, interim, _final = project_for(learner, staff, organisation=learner_org)
    with pytest.raises(ProjectError):
        services.add_tranche(project=project, by=staff, amount=Decimal("0.01"))
    assert services.tranches_total(project) == Decimal("8000")


def test_a_milestone_takes_one_tranche(learner, learner_org, staff):
    offer = accepted_offer(learner, organisation=learner_org)
    project = services.start_project(offer=offer, by=learner)
    milestone = services.add_milestone(
        project=project, by=staff, title="m", due_on=timezone.localdate(), report_kind="interim"
    )
    services.add_tranche(project=project, by=staff, amount=Decimal("100"), milestone=milestone)
    with pytest.raises(ProjectError):
        services.add_tranche(project=project, by=staff, amount=Decimal("100"), milestone=milestone)


def test_one_final_report_per_project(learner, learner_org, staff):
    project, _interim, _final = project_for(learner, staff, organisation=learner_org)
    with pytest.raises(ProjectError):
        services.add_milestone(
            project=project, by=staff, title="x", due_on=timezone.localdate(), report_kind="final"
        )


STATES = ["draft", "submitted", "changes_requested", "approved"]
EXPECTED = {
    ("draft", "submit", EDITOR): "submitted",
    ("changes_requested", "submit", EDITOR): "submitted",
    ("submitted", "approve", STAFF): "approved",
    ("submitted", "request_changes", STAFF): "changes_requested",
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ["submit", "approve", "request_changes"])
@pytest.mark.parametrize("role", [EDITOR, STAFF])
def test_transition_table_is_exactly_this(state, action, role):
    found = services.allowed(state, action, role)
    expected = EXPECTED.get((state, action, role))
    assert (found.target if found else None) == expected


def test_table_has_no_other_rows():
    assert {(s, a, t.role): t.target for (s, a), t in TRANSITIONS.items()} == EXPECTED


def test_submit_refuses_missing_answers_and_negative_spending(learner, learner_org, staff):
    _project, interim, _final = project_for(learner, staff, organisation=learner_org)
    report = interim.report
    with pytest.raises(ProjectError) as error:
        services.submit_report(report=report, by=learner)
    assert "summary" in error.value.errors
    line = report.milestone.project.budget.first()
    write_report(report, learner, spending={str(line.pk): "-5"})
    with pytest.raises(ProjectError) as error:
        services.submit_report(report=report, by=learner)
    assert f"spend-{line.pk}" in error.value.errors
    report.refresh_from_db()
    assert report.status == "draft"


def test_review_round_keeps_versions_and_mails_editors_in_their_language(
    learner, learner_org, staff, django_capture_on_commit_callbacks
):
    learner.language = "en"
    learner.save()
    _project, interim, _final = project_for(learner, staff, organisation=learner_org)
    report = write_report(interim.report, learner)
    services.submit_report(report=report, by=learner)
    mail.outbox.clear()
    with pytest.raises(ProjectError):
        services.review_report(report=report, by=staff, approve=False, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.review_report(report=report, by=staff, approve=False, comment="დაამატეთ ფოტოები")
    report.refresh_from_db()
    assert report.status == "changes_requested"
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert "Changes requested" in mail.outbox[0].subject
    assert "დაამატეთ ფოტოები" in mail.outbox[0].body
    write_report(report, learner, data={"summary": "ჩავატარეთ ოთხი ტრენინგი, ფოტოებით", "people": "48"})
    services.submit_report(report=report, by=learner)
    report.refresh_from_db()
    assert report.version == 2
    assert list(ReportVersion.objects.filter(report=report).values_list("number", "review_comment")) == [
        (1, "დაამატეთ ფოტოები"),
        (2, ""),
    ]
    services.review_report(report=report, by=staff, approve=True)
    assert Report.objects.get(pk=report.pk).status == "approved"
    actions = list(
        AuditEntry.objects.filter(action__startswith="awards.report")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "awards.report.submit",
        "awards.report.request_changes",
        "awards.report.submit",
        "awards.report.approve",
    ]


def test_payment_needs_an_approved_report_and_is_made_once(learner, learner_org, staff):
    project, interim, final = project_for(learner, staff, organisation=learner_org)
    signing, first, last = list(project.tranches.order_by("position"))
    today = timezone.localdate()
    services.record_payment(
        tranche=signing, by=staff, paid_on=today, amount=Decimal("3000"), reference="TR-1"
    )
    with pytest.raises(ProjectError):
        services.record_payment(
            tranche=signing, by=staff, paid_on=today, amount=Decimal("3000"), reference="x"
        )
    with pytest.raises(ProjectError):
        services.record_payment(
            tranche=first, by=staff, paid_on=today, amount=Decimal("3000"), reference="TR-2"
        )
    report = write_report(interim.report, learner)
    services.submit_report(report=report, by=learner)
    services.review_report(report=report, by=staff, approve=True)
    services.record_payment(tranche=first, by=staff, paid_on=today, amount=Decimal("3000"), reference="TR-2")
    assert Payment.objects.count() == 2
    project.refresh_from_db()
    assert project.status == "active"
    final_report = write_report(final.report, learner)
    services.submit_report(report=final_report, by=learner)
    services.review_report(report=final_report, by=staff, approve=True)
    project.refresh_from_db()
    assert project.status == "active"  # the last tranche is not paid yet
    services.record_payment(tranche=last, by=staff, paid_on=today, amount=Decimal("2000"), reference="TR-3")
    project.refresh_from_db()
    assert project.status == "completed"
    assert AuditEntry.objects.filter(action="awards.project.complete").count() == 1


def test_draft_merge_keeps_a_change_made_elsewhere(learner, learner_org, staff):
    _project, interim, _final = project_for(learner, staff, organisation=learner_org)
    report = interim.report
    keys = services.draft_keys(report)
    base = services.draft_base(report, keys)
    services.save_report_draft(report=report, by=learner, values={"summary": "ერთი"}, base=base)
    saved = services.save_report_draft(report=report, by=learner, values={"summary": "ორი"}, base=base)
    assert [c.key for c in saved.conflicts] == ["summary"]
    report.refresh_from_db()
    assert report.data["summary"] == "ერთი"


def test_submitted_report_cannot_be_saved(learner, learner_org, staff):
    _project, interim, _final = project_for(learner, staff, organisation=learner_org)
    report = write_report(interim.report, learner)
    services.submit_report(report=report, by=learner)
    with pytest.raises(ProjectError):
        services.save_report_draft(report=report, by=learner, values={"summary": "x"})


def test_only_members_become_editors(learner, learner_org, other_learner, staff):
    project, _i, _f = project_for(learner, staff, organisation=learner_org)
    assert services.set_editors(project=project, by=learner, user_ids=[other_learner.pk]) == []
    assert not project.editors.exists()


@pytest.mark.parametrize(
    ("days", "kind"),
    [
        (8, None),
        (7, "due-7"),
        (2, "due-7"),
        (1, "due-1"),
        (0, "due-1"),
        (-1, "overdue-1"),
        (-7, "overdue-1"),
        (-8, "overdue-2"),
    ],
)
def test_reminder_kind(days, kind):
    today = dt.date(2026, 3, 10)
    assert services.reminder_kind(today + dt.timedelta(days=days), today) == kind


def test_reminders_go_once_each_in_the_editors_language(learner, learner_org, staff):
    learner.language = "ka"
    learner.save()
    _project, interim, _final = project_for(learner, staff, organisation=learner_org)
    due = interim.due_on
    mail.outbox.clear()
    assert services.send_report_reminders(today=due - dt.timedelta(days=10)) == 0
    assert services.send_report_reminders(today=due - dt.timedelta(days=7)) == 1
    assert services.send_report_reminders(today=due - dt.timedelta(days=6)) == 0
    assert services.send_report_reminders(today=due - dt.timedelta(days=1)) == 1
    assert services.send_report_reminders(today=due + dt.timedelta(days=1)) == 1
    assert services.send_report_reminders(today=due + dt.timedelta(days=3)) == 0
    assert services.send_report_reminders(today=due + dt.timedelta(days=8)) == 1
    assert len(mail.outbox) == 4
    assert "ანგარიშის ვადა" in mail.outbox[0].subject or "ანგარიში" in mail.outbox[0].subject
    assert all(m.to == [learner.email] for m in mail.outbox)


def test_no_reminder_after_submission(learner, learner_org, staff):
    _project, interim, _final = project_for(learner, staff, organisation=learner_org)
    report = write_report(interim.report, learner)
    services.submit_report(report=report, by=learner)
    mail.outbox.clear()
    with time_machine.travel(timezone.now()):
        assert services.send_report_reminders(today=interim.due_on + dt.timedelta(days=2)) == 0
