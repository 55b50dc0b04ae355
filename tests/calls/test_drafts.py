"""Drafts that never lose a word: the revision merge (hypothesis), stale pages and conflicts through the pages,
bounded numbers (a budget line can no longer poison a draft), the deadline's whole second, and the token a page
asks for after signing in again rotated it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from calls import drafts, services
from calls.drafts import MINE, THEIRS, fingerprint, fingerprints, merge
from calls.models import Application, Attachment, Status
from calls.services import CallsError
from tests.calls.builders import GOOD, draft, make_call, pdf

KEYS = ("a", "b", "c")


def page_of(application):
    """What a freshly loaded form page carries besides the answers."""
    keys = list(application.call.fields.values_list("key", flat=True))
    return {
        "revision": application.revision,
        "base": drafts.encode_base(fingerprints(application.data, keys)),
    }


def post(values, page, **extra):
    return {**{f"f_{k}": v for k, v in values.items()}, **page, **extra}


# --- the merge ----------------------------------------------------------------------------------------


def test_an_untouched_answer_never_overwrites_a_newer_one():
    stored = {"a": "from the phone", "b": "old"}
    result = merge(
        stored, {"a": "old a", "b": "from the laptop"}, fingerprints({"a": "old a", "b": "old"}, "ab")
    )
    assert result.data == {"a": "from the phone", "b": "from the laptop"}
    assert result.conflicts == [] and result.written == {"b"}
    assert result.base["a"] == fingerprint("old a")  # the page still shows its old text: still untouched


def test_the_same_answer_changed_in_two_places_is_a_conflict_and_nothing_is_written():
    result = merge({"a": "phone"}, {"a": "laptop"}, {"a": fingerprint("old")})
    assert result.data == {"a": "phone"} and result.written == set()
    assert [(c.key, c.mine, c.theirs) for c in result.conflicts] == [("a", "laptop", "phone")]
    assert merge({"a": "phone"}, {"a": "laptop"}, {"a": fingerprint("old")}, {"a": MINE}).data == {
        "a": "laptop"
    }
    assert merge({"a": "phone"}, {"a": "laptop"}, {"a": fingerprint("old")}, {"a": THEIRS}).data == {
        "a": "phone"
    }


operations = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(["type", "type", "save", "save", "mine", "theirs", "reload"]),
        st.sampled_from(KEYS),
        st.sampled_from(["", "x", "y", "z"]),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(operations)
def test_no_interleaving_of_saves_from_two_pages_loses_a_saved_answer_unless_the_person_chose_so(ops):
    stored: dict = {}
    pages = [{"shown": {}, "base": fingerprints({}, KEYS), "pending": set()} for _ in range(2)]
    for tab, action, key, value in ops:
        page = pages[tab]
        if action == "type":
            page["shown"][key] = value
            continue
        if action == "reload":
            page.update(shown=dict(stored), base=fingerprints(stored, KEYS), pending=set())
            continue
        resolutions = {}
        if action in ("mine", "theirs"):
            if key not in page["pending"]:
                continue
            resolutions = {key: MINE if action == "mine" else THEIRS}
        posted = {k: page["shown"].get(k, "") for k in KEYS}
        result = merge(stored, posted, page["base"], resolutions)
        for k in KEYS:
            mine, theirs = posted[k], stored.get(k)
            if k in result.written:
                # Only what this page had seen (or what the person chose to replace) is ever overwritten.
                assert fingerprint(theirs) == page["base"][k] or resolutions.get(k) == MINE
                assert result.data[k] == mine
            else:
                assert result.data.get(k) == theirs
                # Nothing typed is dropped silently: it was equal, untouched here, reported, or refused by choice.
                assert (
                    drafts.same(mine, theirs)
                    or fingerprint(mine) == page["base"][k]
                    or k in {c.key for c in result.conflicts}
                    or resolutions.get(k) == THEIRS
                )
        stored = result.data
        page["base"] = result.base
        page["pending"] = {c.key for c in result.conflicts}
        if action == "theirs":
            page["shown"][key] = stored.get(key, "")
            page["base"][key] = fingerprint(stored.get(key))


# --- stale pages and conflicts through the pages ---------------------------------------------------------


def test_a_stale_tab_saves_its_own_change_and_keeps_the_other_tabs_answer(client_for, learner):
    application = draft(make_call(), learner)
    client = client_for(learner)
    url = reverse("calls:application_autosave", args=[application.pk])
    first, second = page_of(application), page_of(application)
    client.post(url, post({**GOOD, "motivation": "პირველი ჩანართიდან"}, first))
    response = client.post(url, post({**GOOD, "full_name": "მეორე ჩანართიდან"}, second))
    assert 'data-state="saved"' in response.content.decode()
    application.refresh_from_db()
    assert application.data["motivation"] == "პირველი ჩანართიდან"
    assert application.data["full_name"] == "მეორე ჩანართიდან"
    assert application.revision == 3  # the draft's first save, then one per tab


def test_the_same_answer_from_two_tabs_shows_both_and_the_person_chooses(client_for, learner):
    application = draft(make_call(), learner)
    client = client_for(learner)
    form_url = reverse("calls:application_form", args=[application.pk])
    first, second = page_of(application), page_of(application)
    client.post(
        reverse("calls:application_autosave", args=[application.pk]),
        post({**GOOD, "motivation": "ტელეფონიდან"}, first),
    )
    response = client.post("/en" + form_url, post({**GOOD, "motivation": "ლეპტოპიდან"}, second, save="1"))
    html = response.content.decode()
    assert response.status_code == 200 and "changed in another window or device" in html
    assert "ტელეფონიდან" in html and "ლეპტოპიდან" in html
    assert 'value="mine:motivation"' in html and 'value="theirs:motivation"' in html
    application.refresh_from_db()
    assert application.data["motivation"] == "ტელეფონიდან"  # nothing written until the person chooses
    # The page re-shown carries the base the choice is made on.
    base = html.split('name="base" value="')[1].split('"')[0].replace("&quot;", '"')
    choice = {"revision": application.revision, "base": base}
    client.post(form_url, post({**GOOD, "motivation": "ლეპტოპიდან"}, choice, resolve="mine:motivation"))
    application.refresh_from_db()
    assert application.data["motivation"] == "ლეპტოპიდან"


def test_keeping_the_saved_version_leaves_it_and_saves_the_rest(client_for, learner):
    application = draft(make_call(), learner)
    client = client_for(learner)
    stale = page_of(application)
    services.save_draft(application=application, by=learner, values={"motivation": "სხვაგან"})
    client.post(
        reverse("calls:application_form", args=[application.pk]),
        post({**GOOD, "motivation": "აქ", "experience_years": "5"}, stale, resolve="theirs:motivation"),
    )
    application.refresh_from_db()
    assert application.data["motivation"] == "სხვაგან" and application.data["experience_years"] == "5"


def test_an_expired_session_keeps_the_base_so_the_restore_cannot_erase_a_newer_answer(client, learner):
    application = draft(make_call(), learner)
    page = page_of(application)
    url = reverse("calls:application_autosave", args=[application.pk])
    response = client.post(url, post({**GOOD, "motivation": "სესიის შემდეგ"}, page))
    assert 'data-state="expired"' in response.content.decode()
    services.save_draft(application=application, by=learner, values={"full_name": "სხვა მოწყობილობიდან"})
    client.force_login(learner)
    html = client.get(reverse("calls:application_form", args=[application.pk])).content.decode()
    application.refresh_from_db()
    assert application.data["motivation"] == "სესიის შემდეგ"
    assert application.data["full_name"] == "სხვა მოწყობილობიდან"
    assert "სესიის შემდეგ" in html


def test_a_page_whose_token_was_rotated_asks_for_a_fresh_one(client_for, learner):
    application = draft(make_call(), learner)
    url = reverse("calls:application_autosave", args=[application.pk])
    signed_in = client_for(learner).get(url).json()
    assert signed_in["signed_in"] is True and len(signed_in["csrf"]) > 20
    assert Client().get(url).json()["signed_in"] is False


def test_a_stored_file_shows_its_name_and_size_and_can_be_removed(client_for, learner):
    application = draft(make_call(file=True), learner, files={"cv": pdf("ჩემი CV.pdf")})
    client = client_for(learner)
    url = reverse("calls:application_form", args=[application.pk])
    html = client.get(url).content.decode()
    assert "ჩემი CV.pdf" in html and 'name="f_cv-remove"' in html
    client.post(url, post(GOOD, page_of(application), **{"f_cv-remove": "1", "save": "1"}))
    application.refresh_from_db()
    assert application.data.get("cv") is None
    # Uploading the same file again points the answer at the one kept copy.
    services.save_draft(application=application, by=learner, values={}, files={"cv": pdf("again.pdf")})
    application.refresh_from_db()
    assert Attachment.objects.filter(application=application).count() == 1
    assert application.data["cv"] == Attachment.objects.get().pk


def test_autosave_after_the_deadline_saves_and_says_the_call_has_closed(client_for, learner):
    call = make_call()
    application = draft(call, learner)
    call.closes_at = call.opens_at + timedelta(hours=1)
    call.save(update_fields=["closes_at"])
    response = client_for(learner).post(
        "/en" + reverse("calls:application_autosave", args=[application.pk]),
        post({**GOOD, "motivation": "ბოლო წუთს"}, page_of(application)),
    )
    html = response.content.decode()
    assert 'data-state="closed"' in html and "can no longer be submitted" in html
    application.refresh_from_db()
    assert application.data["motivation"] == "ბოლო წუთს"


# --- bounded numbers (issue 16: a budget line could poison an application) ----------------------------


@pytest.mark.parametrize(
    ("qty", "unit"), [("1e20", "1e20"), ("1e999999", "10"), ("1", "-1e30"), ("9" * 40, "9" * 40)]
)
def test_an_overflowing_budget_line_is_kept_refused_clearly_and_never_breaks_a_page(
    client_for, learner, qty, unit
):
    call = make_call(budget=True)
    application = draft(call, learner)
    client = client_for(learner)
    line = {"f_budget-0-item": "ქირა", "f_budget-0-qty": qty, "f_budget-0-unit": unit}
    response = client.post(
        reverse("calls:application_autosave", args=[application.pk]),
        {**post(GOOD, page_of(application)), **line},
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.data["budget"] == [{"item": "ქირა", "qty": qty, "unit": unit}]
    assert client.get(reverse("calls:application_form", args=[application.pk])).status_code == 200
    assert client.get(reverse("calls:application_detail", args=[application.pk])).status_code == 200
    with pytest.raises(CallsError) as error:
        services.submit_application(application=application, by=learner)
    assert error.value.errors["budget"]


def test_a_stored_value_that_slipped_through_is_shown_not_computed(client_for, learner):
    application = draft(make_call(budget=True), learner)
    Application.objects.filter(pk=application.pk).update(
        data={
            **GOOD,
            "budget": [{"item": "x", "qty": "1E+999999", "unit": "Infinity"}],
            "experience_years": "NaN",
        }
    )
    client = client_for(learner)
    for name in ("application_form", "application_detail"):
        assert client.get(reverse(f"calls:{name}", args=[application.pk])).status_code == 200


def test_a_huge_number_answer_gets_a_clear_message(learner):
    application = draft(make_call(), learner, data={**GOOD, "experience_years": "1e20"})
    with pytest.raises(CallsError) as error:
        services.submit_application(application=application, by=learner)
    assert "1" in error.value.errors["experience_years"][0]


# --- the deadline's second (issue 16) ---------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "accepted"), [(0.4, True), (0.999, True), (1.0, False)])
def test_the_deadline_includes_its_whole_second(learner, offset, accepted):
    closes = datetime(2026, 3, 1, 14, 0, 0, tzinfo=UTC)
    with time_machine.travel(closes - timedelta(days=2), tick=False):
        application = draft(make_call(opens_at=closes - timedelta(days=5), closes_at=closes), learner)
    with time_machine.travel(closes + timedelta(seconds=offset), tick=False):
        if accepted:
            assert services.submit_application(application=application, by=learner).status == Status.SUBMITTED
        else:
            with pytest.raises(CallsError):
                services.submit_application(application=application, by=learner)


def test_a_submit_that_arrived_in_time_is_accepted_when_answered_just_after(learner):
    closes = datetime(2026, 3, 1, 14, 0, 0, tzinfo=UTC)
    with time_machine.travel(closes - timedelta(days=2), tick=False):
        application = draft(make_call(opens_at=closes - timedelta(days=5), closes_at=closes), learner)
    arrived = closes + timedelta(seconds=0.2)
    with time_machine.travel(closes + timedelta(seconds=3), tick=False):
        done = services.submit_application(application=application, by=learner, requested_at=arrived)
    assert done.status == Status.SUBMITTED and done.submitted_at == arrived
    with time_machine.travel(closes - timedelta(days=2), tick=False):
        late = draft(make_call(opens_at=closes - timedelta(days=5), closes_at=closes), learner)
    with time_machine.travel(closes + timedelta(seconds=3), tick=False), pytest.raises(CallsError):
        services.submit_application(
            application=late, by=learner, requested_at=closes + timedelta(seconds=1.5)
        )


# --- the reviewer's form ----------------------------------------------------------------------------------


def test_a_score_outside_the_range_is_refused_by_the_form(client_for, learner, reviewer, staff):
    from tests.calls.builders import in_review

    call = make_call()
    application = in_review(call, learner, staff)
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    first = call.criteria.first()
    html = (
        client_for(reviewer)
        .post("/en" + reverse("calls:review", args=[assignment.pk]), {f"score_{first.pk}": "11", "save": "1"})
        .content.decode()
    )
    assert "Enter a score from 0 to 10." in html and 'aria-invalid="true"' in html


def test_an_unused_upload_field_does_not_lose_other_answers(client_for, learner):
    application = draft(make_call(file=True), learner)
    client_for(learner).post(
        reverse("calls:application_form", args=[application.pk]),
        {
            **post({**GOOD, "motivation": "დარჩება"}, page_of(application)),
            "f_cv": SimpleUploadedFile("x.pdf", b""),
            "save": "1",
        },
    )
    application.refresh_from_db()
    assert application.data["motivation"] == "დარჩება"


def test_django_renders_each_answer_with_its_help_errors_and_aria_links(client_for, learner):
    application = draft(make_call(), learner, data={**GOOD, "motivation": " ".join(["სიტყვა"] * 60)})
    html = (
        client_for(learner)
        .post(
            "/en" + reverse("calls:application_form", args=[application.pk]),
            post({}, page_of(application), submit="1"),
        )
        .content.decode()
    )
    assert '<span class="helptext" id="f_motivation_helptext">Why · Up to 50 words.</span>' in html
    assert '<ul class="errorlist" id="f_motivation_error">' in html
    assert (
        'aria-invalid="true" aria-describedby="f_motivation_helptext f_motivation_error" id="f_motivation"'
        in html
    )
    assert 'aria-describedby="f_experience_years_helptext" id="f_experience_years"' in html


@pytest.mark.parametrize("field_count", [1, 3])
def test_a_stale_pages_autosave_costs_the_same_queries(
    client_for, learner, field_count, django_assert_num_queries
):
    call = make_call(budget=field_count == 3, file=field_count == 3)
    application = draft(call, learner)
    client = client_for(learner)
    url = reverse("calls:application_autosave", args=[application.pk])
    stale = page_of(application)
    services.save_draft(application=application, by=learner, values={"full_name": "სხვაგან"})
    # session, user, the application, its questions, then savepoint, row lock, update, release
    with django_assert_num_queries(8):
        response = client.post(url, post({**GOOD, "motivation": "ახალი"}, stale))
    assert 'data-state="saved"' in response.content.decode()
    application.refresh_from_db()
    assert application.data["motivation"] == "ახალი" and application.data["full_name"] == "სხვაგან"
