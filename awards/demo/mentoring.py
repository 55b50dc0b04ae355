"""Demo content for mentoring: the Kakheti Budget Watch grant project (made by the projects demo) gets
mentor@demo.civichub.ge as its mentor, with two sessions, three agreed actions (one done) and one message each way;
nino@demo.civichub.ge has an individual mentorship waiting for a mentor. Idempotent: a second run creates nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.api import User
from awards.models.mentoring import ActionOwner, ActionStatus, Mentorship, MentorshipStatus, SessionFormat
from awards.models.projects import GrantProject
from awards.services import mentoring as services

CALL_SLUG = "small-grants-2025"  # the offers demo: last year's call
ORGANISATION_SLUG = "kakheti-budget-watch"

GOALS = (
    "ადგილობრივი ბიუჯეტის მონიტორინგის მეთოდოლოგიის გაძლიერება; საჯარო ინფორმაციის მოთხოვნების სისტემური "
    "გამოყენება; შედეგების მოქალაქეებისთვის გასაგებად წარდგენა."
)


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _project_mentorship(project, mentor, staff, stdout) -> Mentorship:
    mentorship = Mentorship.objects.filter(project=project).first()
    if mentorship is None:
        mentorship = services.open_mentorship(by=staff, project=project, goals=GOALS)
    if mentorship.mentor_id is None and mentorship.status == MentorshipStatus.WAITING:
        services.assign_mentor(mentorship=mentorship, mentor=mentor, by=staff)
        mentorship.refresh_from_db()
    if mentorship.status == MentorshipStatus.WAITING and mentorship.mentor_id == mentor.pk:
        services.declare_conflict(mentorship=mentorship, by=mentor, conflict=False)
        mentorship.refresh_from_db()
    if mentorship.status != MentorshipStatus.ACTIVE or mentorship.sessions.exists():
        return mentorship
    today = timezone.localdate()
    admin = project.grantee
    services.log_session(
        mentorship=mentorship,
        by=mentor,
        held_on=today - timedelta(days=24),
        duration_minutes=90,
        format=SessionFormat.IN_PERSON,
        topics="პროექტის გეგმა, საჯარო ინფორმაციის მოთხოვნები",
        notes="თელავში შევხვდით გუნდს. განვიხილეთ, რომელი მუნიციპალიტეტებიდან მოვითხოვოთ ბიუჯეტის შესრულების ანგარიშები.",
        action={
            "text": "საჯარო ინფორმაციის მოთხოვნების გაგზავნა სამ მუნიციპალიტეტში",
            "owner": ActionOwner.MENTEE,
            "owner_person": admin,
            "due_on": today - timedelta(days=10),
        },
    )
    services.log_session(
        mentorship=mentorship,
        by=mentor,
        held_on=today - timedelta(days=6),
        duration_minutes=60,
        format=SessionFormat.ONLINE,
        topics="შუალედური ანგარიში, მოქალაქის ბიუჯეტი",
        notes="გადავხედეთ შუალედური ანგარიშის პროექტს; შევთანხმდით მოქალაქის ბიუჯეტის სტრუქტურაზე.",
        action={
            "text": "მოქალაქის ბიუჯეტის სახელმძღვანელოს პროექტის გაზიარება",
            "owner": ActionOwner.MENTEE,
            "owner_person": admin,
            "due_on": today + timedelta(days=7),
        },
    )
    services.add_action(
        mentorship=mentorship,
        by=mentor,
        text="სხვა მუნიციპალიტეტების კარგი პრაქტიკის მაგალითების მოძიება",
        owner=ActionOwner.MENTOR,
        due_on=today + timedelta(days=3),
    )
    first = mentorship.actions.order_by("due_on", "pk").first()
    assert first is not None
    services.set_action_status(action=first, by=admin, status=ActionStatus.DONE)
    services.send_message(
        mentorship=mentorship,
        by=admin,
        body="ბატონო ლევან, მოთხოვნები გავგზავნეთ; გურჯაანიდან პასუხი ჯერ არ მიგვიღია. როგორ მოვიქცეთ?",
    )
    services.send_message(
        mentorship=mentorship,
        by=mentor,
        body="კანონით 10 დღე აქვთ. თუ ვადა გავიდა, **ადმინისტრაციული საჩივარი** დაწერეთ — ნიმუშს შემდეგ შეხვედრაზე მოგიტანთ.",
    )
    if stdout:
        stdout.write(f"awards mentoring: {project} mentored by {mentor.email}\n")
    return mentorship


def seed(stdout) -> dict:
    mentor = _person("mentor@demo.civichub.ge")
    staff = _person("staff@demo.civichub.ge")
    nino = _person("nino@demo.civichub.ge")
    if mentor is None or staff is None:
        return {}
    result: dict = {}
    project = GrantProject.objects.filter(call__slug=CALL_SLUG, organisation__slug=ORGANISATION_SLUG).first()
    if project is not None:
        result["mentorship"] = _project_mentorship(project, mentor, staff, stdout)
    elif stdout:
        stdout.write("awards mentoring: no demo grant project yet; no project mentorship\n")
    if nino is not None:
        waiting = Mentorship.objects.filter(mentee=nino).first()
        if waiting is None:
            waiting = services.open_mentorship(
                by=staff,
                mentee=nino,
                goals="საჯარო შესყიდვების მონიტორინგის პრაქტიკული უნარები სერტიფიცირების შემდეგ.",
            )
        result["waiting_mentorship"] = waiting
    return result
