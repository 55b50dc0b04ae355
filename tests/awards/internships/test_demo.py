"""The internships demo: a published placement at the host's organisation, giorgi placed and mid-term evaluated,
shown from the host's and giorgi's home; running it twice creates nothing twice."""

import pytest

from accounts import demo as accounts_demo
from accounts.api import as_viewer
from accounts.models import User
from awards.api import work_items
from awards.demo import internships as demo
from awards.models.internships import InternCandidate, Internship, InternshipStatus, Position
from awards.models.offers import Offer, OfferStatus
from calls import demo as calls_demo

pytestmark = pytest.mark.django_db


def test_demo_internship_twice_creates_it_once():
    accounts_demo.seed(None)
    calls_demo.seed(None)
    demo.seed(None)
    demo.seed(None)
    position = Position.objects.get()
    assert position.host.slug == "tbilisi-policy-institute" and position.status == "published"
    internship = Internship.objects.get()
    assert internship.intern.email == "giorgi@demo.civichub.ge"
    assert internship.status == InternshipStatus.ACTIVE and internship.acknowledged_at
    assert [e.kind for e in internship.evaluations.all()] == ["midterm"]
    assert InternCandidate.objects.count() == 1
    # The whole chain, the real way: submitted with a reference, reviewed, accepted, the letter sent, an offer
    # accepted, then the placement.
    application = InternCandidate.objects.get().application
    assert application.reference.startswith("CH-") and application.submitted_at
    assert (application.status, application.outcome) == ("decided", "accepted")
    assert application.review_count == 1  # the expert's submitted review
    decision_letter, offer_letter = application.outbox.order_by("pk")
    assert decision_letter.status == "sent" and application.decision_published_at
    assert offer_letter.created_at >= decision_letter.sent_at  # the offer follows the letter
    assert [e.action for e in application.events.order_by("at", "pk")] == [
        "submit",
        "start_screening",
        "pass_screening",
        "decide",
    ]
    offer = Offer.objects.get(application=application)
    assert offer.status == OfferStatus.ACCEPTED
    assert internship.candidate.application == application
    host = User.objects.get(email="host@demo.civichub.ge")
    assert "ჩვენი სასტაჟირო ადგილები" in [item.label for item in work_items(as_viewer(host))]
    giorgi = User.objects.get(email="giorgi@demo.civichub.ge")
    assert "ჩემი სტაჟირებები" in [item.label for item in work_items(as_viewer(giorgi))]


def test_with_the_courses_loaded_giorgi_qualifies_by_two_completed_courses():
    """With learning's demo courses the internship call asks for two completed courses: giorgi completes them in
    learning's demo (through its services), so his application is submitted and accepted the real way."""
    import io

    from awards import demo as awards_demo
    from learning import api as learning_api
    from learning import demo as learning_demo

    out = io.StringIO()
    accounts_demo.seed(out)
    learning_demo.seed(out)
    calls_demo.seed(out)
    awards_demo.seed(out)
    giorgi = User.objects.get(email="giorgi@demo.civichub.ge")
    internship = Internship.objects.get(intern=giorgi)
    call = internship.candidate.application.call
    required = set(call.required_courses.values_list("pk", flat=True))
    assert len(required & learning_api.completed_course_ids(giorgi)) >= call.courses_needed == 2
    assert internship.candidate.application.reference.startswith("CH-")
    assert "giorgi accepted his internship offer" in out.getvalue()
