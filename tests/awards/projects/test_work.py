"""Grant projects in "my work": a member's projects and reports due, staff's reports to review and tranches to pay."""

import datetime as dt

import pytest
from django.forms import modelform_factory
from django.utils import timezone, translation

from accounts.api import as_viewer
from awards.services import projects as services
from awards.work import _projects_items
from calls.admin import ReportFieldForm
from calls.models import FormField
from tests.awards.projects.builders import project_for, write_report

pytestmark = pytest.mark.django_db


def _items(user):
    with translation.override("en"):
        return {(i.label, i.count, i.urgent) for i in _projects_items(as_viewer(user))}


def test_member_staff_and_outsider(learner, learner_org, other_learner, staff, django_assert_num_queries):
    _project, interim, _final = project_for(learner, staff, organisation=learner_org)
    assert _items(other_learner) == set()
    assert ("My grant projects", 1, False) in _items(learner)
    assert not any(label == "Reports due" for label, _c, _u in _items(learner))
    interim.due_on = timezone.localdate() - dt.timedelta(days=1)
    interim.save()
    assert ("Reports due", 1, True) in _items(learner)
    assert {("Grant reports to review", 0, False), ("Grant tranches to pay", 1, False)} <= _items(staff)
    report = write_report(interim.report, learner)
    services.submit_report(report=report, by=learner)
    assert ("Grant reports to review", 1, False) in _items(staff)
    with django_assert_num_queries(5):
        _projects_items(as_viewer(learner))


def test_a_report_field_made_in_the_admin_belongs_to_the_report_form(learner, learner_org, staff):
    project, _i, _f = project_for(learner, staff, organisation=learner_org)
    Form = modelform_factory(
        FormField, form=ReportFieldForm, fields=["call", "position", "key", "kind", "label_ka"]
    )
    data = {"call": project.call_id, "position": 3, "kind": "short_text", "label_ka": "სხვა"}
    taken = Form(data={**data, "key": "summary"})
    assert not taken.is_valid()  # the report form has a "summary" already
    free = Form(data={**data, "key": "motivation"})  # an application question's key: another form
    assert free.is_valid(), free.errors
    assert free.save().form == "report"


def test_a_report_form_takes_no_file_question(learner, learner_org, staff):
    project, _i, _f = project_for(learner, staff, organisation=learner_org)
    Form = modelform_factory(
        FormField, form=ReportFieldForm, fields=["call", "position", "key", "kind", "label_ka"]
    )
    form = Form(
        data={"call": project.call_id, "position": 4, "kind": "file", "label_ka": "ფაილი", "key": "photo"}
    )
    assert "kind" in form.errors
