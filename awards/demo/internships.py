"""Demo content for internships: a published placement at the host demo organisation (Tbilisi Policy Institute),
giorgi@ placed on it through the demo internship call, his learning agreement acknowledged and a mid-term
evaluation by the host (host@). Idempotent: a second run finds everything and creates nothing.

It goes the real way: calls' demo takes giorgi's application (he completed two courses in learning's demo) through
submission, review and an accepted decision whose letter is sent; here staff make the offer and giorgi accepts it
(the offers services, which hand him over as a candidate), then the host places him. Without that accepted
application (learning not installed) there is no intern to place, and only the placement is published.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.api import Organisation, User
from awards.models.internships import (
    EvaluationKind,
    InternCandidate,
    Internship,
    InternshipStatus,
    Position,
    PositionStatus,
)
from awards.models.offers import OfferStatus
from awards.services import internships as services
from awards.services import offers
from calls.api import Call, accepted_applications

TITLE_KA = "საჯარო ფინანსების მონიტორინგის სტაჟიორი"
TASKS = """თქვენ შეუერთდებით ინსტიტუტის საჯარო ფინანსების გუნდს:

* თბილისის მუნიციპალიტეტის ბიუჯეტის შესრულების ანგარიშების შეგროვება და ცხრილებში გადატანა;
* ორი საჯარო განხილვის დაკვირვება და მოკლე შენიშვნების მომზადება;
* ბლოგპოსტის დაწერა ხელმძღვანელის დახმარებით."""


def _accepted_offer(*, call, intern, stdout) -> InternCandidate | None:
    """The offer for giorgi's accepted application (its decision letter sent), made by staff and accepted by him:
    accepting hands him over as a candidate to place. None when calls' demo has no accepted application."""
    staff = User.objects.filter(email="staff@demo.civichub.ge").first()
    application = (
        accepted_applications(call).filter(applicant=intern, decision_published_at__isnull=False).first()
    )
    if staff is None or application is None:
        return None
    offer = offers.make_offer(application=application, by=staff)
    if offer.status == OfferStatus.MADE:
        offers.accept_offer(offer=offer, by=intern, acknowledged=True)
        if stdout:
            stdout.write("awards internships: giorgi accepted his internship offer\n")
    return InternCandidate.objects.filter(application=application).first()


def seed(stdout) -> dict:
    host = User.objects.filter(email="host@demo.civichub.ge").first()
    giorgi = User.objects.filter(email="giorgi@demo.civichub.ge").first()
    org = Organisation.objects.filter(slug="tbilisi-policy-institute").first()
    call = Call.objects.filter(slug="internships-2026").first()
    if not (host and giorgi and org and call):
        return {}
    today = timezone.localdate()
    position = Position.objects.filter(host=org, title_ka=TITLE_KA).first()
    if position is None:
        position = services.create_position(
            host=org,
            by=host,
            title_ka=TITLE_KA,
            title_en="Public finance monitoring intern",
            region="tbilisi",
            starts_on=today - timedelta(days=45),
            ends_on=today + timedelta(days=45),
            slots=2,
            tasks=TASKS,
            call=call,
            supervisor=host,
        )
    if position.status == PositionStatus.DRAFT:
        services.move_position(position=position, action="publish", by=host)

    candidate = _accepted_offer(call=call, intern=giorgi, stdout=stdout)
    if candidate is None:
        return {}
    internship = Internship.objects.filter(position=position, intern=giorgi).first()
    if internship is None:
        internship = services.select_intern(
            position=position,
            candidate=candidate,
            by=host,
            objectives="საჯარო ფინანსების ანალიზის საფუძვლები; მონაცემებთან მუშაობა; საჯარო განხილვაზე დაკვირვება.",
            agreed_tasks="ბიუჯეტის შესრულების ანგარიშების ცხრილები, ორი დაკვირვების ოქმი, ერთი ბლოგპოსტი.",
            schedule="ორშაბათი–ოთხშაბათი, 10:00–16:00, ინსტიტუტის ოფისში; ხუთშაბათი დისტანციურად.",
        )
    if internship.status == InternshipStatus.AGREEMENT_PENDING:
        services.acknowledge_agreement(internship=internship, by=giorgi)
    if not internship.evaluations.filter(kind=EvaluationKind.MIDTERM).exists():
        services.submit_evaluation(
            internship=internship,
            kind=EvaluationKind.MIDTERM,
            ratings={
                "reliability": {"score": 5, "comment": "ყოველთვის დროულად ასრულებს დავალებებს."},
                "quality": {"score": 4, "comment": "ცხრილები ზუსტია; წყაროების მითითება გასაუმჯობესებელია."},
                "communication": {"score": 4, "comment": ""},
                "initiative": {"score": 3, "comment": "უფრო ხშირად დასვით კითხვები."},
                "learning": {"score": 5, "comment": "სწრაფად აითვისა ბიუჯეტის კლასიფიკაცია."},
            },
            overall="კარგი პირველი ნახევარი. მეორე ნახევარში გიორგი ბლოგპოსტზე იმუშავებს.",
            successful=None,
            by=host,
        )
    if stdout:
        stdout.write(
            "awards: a published placement at Tbilisi Policy Institute; giorgi placed, mid-term evaluated\n"
        )
    return {}
