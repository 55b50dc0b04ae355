"""The feedback and decline-reason pages, filled with content, show interface text only in the page's language (the
checks of tests/test_interface_language.py, on pages whose matrix rows have little to show)."""

from django.urls import reverse
from django.utils import translation

from calls import services
from tests.calls.builders import in_review, make_call, scores_for
from tests.test_interface_language import foreign_words, typed_by_people, visible_text


def test_feedback_and_decline_pages_speak_one_language(client_for, learner, other_learner, reviewer, staff):
    call = make_call()
    budget = services.save_decline_reason(
        call=call, by=staff, label_ka="ბიუჯეტი არარეალისტურია", label_en="Unrealistic budget"
    )
    services.save_decline_reason(
        call=call, by=staff, label_ka="დოკუმენტები აკლია", label_en="Missing documents", active=False
    )
    applications = []
    for person in (learner, other_learner):
        application = in_review(call, person, staff)
        assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
        services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
        services.confirm_statement(reviewer=reviewer, call=call)
        assignment.refresh_from_db()
        services.save_review(
            assignment=assignment,
            by=reviewer,
            scores=scores_for(call, 4, 2),
            comments="მოტივაცია ზოგადია",
            recommendation="reject",
            submit=True,
        )
        application.refresh_from_db()
        applications.append(application)
    first, second = applications
    services.save_feedback(
        application=first,
        by=staff,
        criteria={str(call.criteria.first().pk): "გამოცდილება მცირეა"},
        overall="გირჩევთ, ხელახლა შეიტანოთ განაცხადი",
    )
    services.decide(application=first, by=staff, outcome="rejected", decline_reasons=[budget.pk])
    services.approve_outbox(messages=[first.outbox.get()], by=staff)
    services.deliver_outbox_message(first.outbox.get().pk)
    letter = first.outbox.get()
    pages = [
        (staff, "calls:feedback", [first.pk]),
        (staff, "calls:feedback", [second.pk]),
        (staff, "calls:decline_reasons", [call.slug]),
        (staff, "calls:decline_statistics", None),
        (learner, "calls:application_detail", [first.pk]),
    ]
    allowed = typed_by_people()
    problems = []
    for user, name, args in pages:
        client = client_for(user)
        for language in ("ka", "en"):
            with translation.override(language):
                url = reverse(name, args=args)
            response = client.get(url)
            assert response.status_code == 200, url
            # Only the page's own content (the header and footer are checked by tests/test_interface_language.py);
            # the letter's body is bilingual by design (Georgian, then English): left out.
            content = (
                response.content.decode()
                .split('<main id="main"', 1)[1]
                .split(">", 1)[1]
                .split("</main>", 1)[0]
            )
            text = visible_text(content.replace(letter.body, ""))
            words = foreign_words(text, language, allowed)
            if words:
                problems.append(f"{language} {name}: {' '.join(words[:12])}")
    assert problems == [], "\n".join(problems)
