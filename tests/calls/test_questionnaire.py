"""A form owner other than a call: a questionnaire's questions are ``FormField`` rows with exactly one owner,
no files or budget tables, keys unique per questionnaire; the call's own questions are untouched by them."""

import pytest
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from calls import api
from calls.admin import QuestionForm
from calls.models import FormField, Questionnaire
from calls.queries import form_fields
from tests.calls.builders import make_call

pytestmark = pytest.mark.django_db


def _question(**fields):
    defaults = {"key": "q", "kind": "short_text", "label_ka": "კითხვა", **fields}
    return FormField.objects.create(**defaults)


@pytest.fixture
def questionnaire():
    return Questionnaire.objects.create(title_ka="კითხვები", title_en="Questions")


def test_a_question_has_exactly_one_owner(questionnaire):
    call = make_call()
    with pytest.raises(IntegrityError), transaction.atomic():
        _question(key="none")
    with pytest.raises(IntegrityError), transaction.atomic():
        _question(key="both", call=call, questionnaire=questionnaire)
    _question(key="mine", questionnaire=questionnaire)
    _question(key="mine", call=call)  # the same key under another owner


def test_a_questionnaire_takes_no_files_or_budget_tables(questionnaire):
    for kind in ("file", "budget"):
        with pytest.raises(IntegrityError), transaction.atomic():
            _question(key=kind, kind=kind, questionnaire=questionnaire)
    admin_form = modelform_factory(
        FormField, form=QuestionForm, fields=["position", "key", "kind", "label_ka"]
    )
    form = admin_form(data={"key": "cv", "kind": "file", "label_ka": "CV", "position": 0})
    assert not form.is_valid() and "kind" in form.errors
    assert "file" not in dict(form.fields["kind"].choices)


def test_keys_are_unique_within_a_questionnaire(questionnaire):
    _question(key="diet", questionnaire=questionnaire)
    with pytest.raises(IntegrityError), transaction.atomic():
        _question(key="diet", questionnaire=questionnaire)
    other = Questionnaire.objects.create(title_ka="სხვა")
    _question(key="diet", questionnaire=other)


def test_a_calls_questions_leave_questionnaires_out(questionnaire):
    call = make_call()
    _question(key="extra", questionnaire=questionnaire)
    assert "extra" not in [row.key for row in form_fields(call)]
    assert [row.key for row in api.questionnaire_rows(questionnaire.pk)] == ["extra"]
    assert api.questionnaire_rows(None) == []


def test_the_engine_checks_and_presents_a_questionnaires_answers(questionnaire):
    _question(
        key="diet",
        kind="choice",
        choices="არ მაქვს | None\nვეგეტარიანული | Vegetarian",
        questionnaire=questionnaire,
    )
    _question(key="talk", required=False, questionnaire=questionnaire, position=2)
    rows = api.questionnaire_rows(questionnaire.pk)
    form = api.questionnaire_form(rows, {"f_diet": "3", "f_talk": "ტექსტი"})
    assert not form.is_valid() and list(form.answer_errors()) == ["diet"]
    form = api.questionnaire_form(rows, {"f_diet": "2", "f_talk": ""})
    assert form.is_valid() and api.cleaned_answers(form) == {"diet": "2"}
    assert [a.text for a in api.present_answers(rows, {"diet": "2", "talk": "x"})] == ["ვეგეტარიანული", "x"]
    assert api.answer_columns(rows)({"diet": "1"}) == ["არ მაქვს", ""]
    assert api.answer_columns(rows)("not a dict") == ["", ""]


def test_staff_write_a_questionnaire_in_the_admin(client_for, staff):
    from django.urls import reverse

    def post(kind):
        return client_for(staff).post(
            reverse("admin:calls_questionnaire_add"),
            {
                "title_ka": "რეგისტრაციის კითხვები",
                "title_en": "Registration questions",
                "fields-TOTAL_FORMS": "1",
                "fields-INITIAL_FORMS": "0",
                "fields-MIN_NUM_FORMS": "0",
                "fields-MAX_NUM_FORMS": "1000",
                "fields-0-position": "1",
                "fields-0-key": "diet",
                "fields-0-kind": kind,
                "fields-0-required": "on",
                "fields-0-label_ka": "კვების საჭიროებები",
                "fields-0-choices": "არ მაქვს | None\nვეგეტარიანული | Vegetarian",
            },
        )

    refused = post("file")
    assert refused.status_code == 200 and not Questionnaire.objects.exists()
    assert post("choice").status_code == 302
    questionnaire = Questionnaire.objects.get()
    assert [(row.key, row.kind, row.call_id) for row in api.questionnaire_rows(questionnaire.pk)] == [
        ("diet", "choice", None)
    ]


def test_the_admin_shows_a_calls_report_questions_and_a_questionnaires_with_the_same_fields(
    client_for, staff
):
    from django.urls import reverse

    from tests.calls.builders import make_call

    call = make_call(slug="admin-fields")
    client = client_for(staff)
    for url in (
        reverse("admin:calls_call_change", args=[call.pk]),
        reverse("admin:calls_questionnaire_add"),
    ):
        html = client.get(url).content.decode()
        for name in ("position", "key", "kind", "label_ka", "help_en", "word_limit", "choices"):
            assert f"-__prefix__-{name}" in html, (url, name)
