"""Grant projects for load tests: every accepted small-grant application of the generated calls gets an accepted
offer and a project (its budget copied from the application), two milestones (the interim report approved with
spending, the final one a draft) and three tranches (signing and interim paid). About half of the projects get
an active mentor from a small pool of generated mentors (no conflict declared, three sessions, two agreed
actions); a few verified generated organisations host published placements, and the accepted applications of
generated internship calls become accepted offers, candidates and, while places last, active internships with
a mid-term evaluation.

Rows are bulk-inserted (a generator may bypass services), keeping the services' invariants: one project per
offer, one tranche per milestone, one payment per tranche, tranches summing to the approved amount, a
submitted version for every report past draft.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from benchmarks.datagen import GEN_SLUG_PREFIX, Scale
from benchmarks.datagen.accounts import generated_users

BATCH = 1000
ACTIVITIES = [
    "ჩავატარეთ საჯარო შეხვედრები ადგილობრივი ბიუჯეტის პროექტზე და შევაგროვეთ მოქალაქეების წინადადებები.",
    "მოვამზადეთ მონიტორინგის ანგარიში მუნიციპალიტეტის შესყიდვებზე და წარვუდგინეთ საკრებულოს.",
    "გავმართეთ ტრენინგები ახალგაზრდებისთვის საჯარო ინფორმაციის გამოთხოვაზე.",
]


def _decimal(text) -> Decimal:
    try:
        return Decimal(str(text).replace(",", ".").strip() or "0")
    except ArithmeticError:
        return Decimal(0)


def generate(scale: Scale, rng, stdout, **previous) -> dict:
    from awards.models import (
        BudgetItem,
        GrantProject,
        Milestone,
        Offer,
        Payment,
        ProjectEditor,
        Report,
        ReportVersion,
        Tranche,
    )
    from calls.models import Application, FormField

    applications = list(
        Application.objects.filter(
            call__slug__startswith=GEN_SLUG_PREFIX,
            call__kind="small_grant",
            status="decided",
            outcome="accepted",
            offer__isnull=True,
        )
        .select_related("call")
        .order_by("pk")
    )
    if not applications:
        stdout.write("  awards: no accepted small-grant application to start a project from")
        return {}
    budget_keys = dict(
        FormField.objects.filter(
            call_id__in={a.call_id for a in applications}, form="application", kind="budget"
        ).values_list("call_id", "key")
    )
    now = timezone.now()
    today = timezone.localdate()
    offers = Offer.objects.bulk_create(
        [
            Offer(
                application=a,
                status="accepted",
                amount=Decimal(rng.randrange(2000, 5001, 100)),
                response_deadline=now - dt.timedelta(days=30),
                responded_by_id=a.applicant_id,
                responded_at=now - dt.timedelta(days=40),
                acknowledged_at=now - dt.timedelta(days=40),
            )
            for a in applications
        ],
        batch_size=BATCH,
    )
    projects = GrantProject.objects.bulk_create(
        [
            GrantProject(
                offer=offer,
                call_id=a.call_id,
                organisation_id=a.organisation_id,
                grantee_id=a.applicant_id,
                title=f"{a.call.title_ka} — {a.reference or a.pk}"[:300],
                amount=offer.amount,
                created_at=now - dt.timedelta(days=40),
            )
            for a, offer in zip(applications, offers, strict=True)
        ],
        batch_size=BATCH,
    )
    ProjectEditor.objects.bulk_create(
        [ProjectEditor(project=p, user_id=p.grantee_id) for p in projects], batch_size=BATCH
    )
    items = []
    for a, project in zip(applications, projects, strict=True):
        rows = a.data.get(budget_keys.get(a.call_id, "budget")) or []
        for position, row in enumerate(rows if isinstance(rows, list) else [], start=1):
            if not isinstance(row, dict):
                continue
            qty, unit = _decimal(row.get("qty")), _decimal(row.get("unit"))
            items.append(
                BudgetItem(
                    project=project,
                    position=position,
                    item=str(row.get("item", ""))[:300] or "—",
                    quantity=qty,
                    unit_cost=unit,
                    total=(qty * unit).quantize(Decimal("0.01")),
                )
            )
    BudgetItem.objects.bulk_create(items, batch_size=BATCH)
    milestones = []
    for project in projects:
        milestones.append(
            Milestone(
                project=project,
                title="პირველი ეტაპი",
                due_on=today - dt.timedelta(days=rng.randrange(1, 20)),
                deliverables=rng.choice(ACTIVITIES),
                report_kind="interim",
            )
        )
        milestones.append(
            Milestone(
                project=project,
                title="საბოლოო ეტაპი",
                due_on=today + dt.timedelta(days=rng.randrange(20, 120)),
                report_kind="final",
            )
        )
    milestones = Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    first_lines = {}
    for item in BudgetItem.objects.filter(project__in=projects).order_by("project_id", "position"):
        first_lines.setdefault(item.project_id, item)
    reports = []
    for milestone in milestones:
        if milestone.report_kind == "interim":
            line = first_lines.get(milestone.project_id)
            reports.append(
                Report(
                    milestone=milestone,
                    status="approved",
                    data={"activities": rng.choice(ACTIVITIES)},
                    spending={str(line.pk): str((line.total / 2).quantize(Decimal("0.01")))} if line else {},
                    version=1,
                    submitted_at=now - dt.timedelta(days=10),
                    decided_at=now - dt.timedelta(days=5),
                )
            )
        else:
            reports.append(Report(milestone=milestone))
    reports = Report.objects.bulk_create(reports, batch_size=BATCH)
    ReportVersion.objects.bulk_create(
        [
            ReportVersion(report=r, number=1, data=r.data, spending=r.spending, submitted_at=r.submitted_at)
            for r in reports
            if r.status == "approved"
        ],
        batch_size=BATCH,
    )
    tranches = []
    by_project = {}
    for milestone in milestones:
        by_project.setdefault(milestone.project_id, []).append(milestone)
    for project in projects:
        interim, final = by_project[project.pk]
        signing_amount = (project.amount * Decimal("0.4")).quantize(Decimal("0.01"))
        tranches += [
            Tranche(project=project, position=1, amount=signing_amount),
            Tranche(project=project, position=2, milestone=interim, amount=signing_amount),
            Tranche(project=project, position=3, milestone=final, amount=project.amount - 2 * signing_amount),
        ]
    tranches = Tranche.objects.bulk_create(tranches, batch_size=BATCH)
    Payment.objects.bulk_create(
        [
            Payment(
                tranche=t,
                paid_on=today - dt.timedelta(days=30 if t.position == 1 else 3),
                amount=t.amount,
                reference=f"GEN-{t.project_id}-{t.position}",
                recorded_by_id=t.project.grantee_id,
            )
            for t in tranches
            if t.position in (1, 2)
        ],
        batch_size=BATCH,
    )
    stdout.write(
        f"  awards: {len(projects)} grant projects, {len(milestones)} milestones, {len(tranches)} tranches"
    )
    mentored = _mentorships(scale, rng, stdout, projects, previous.get("user_ids") or [])
    placed = _internships(scale, rng, stdout)
    return {"project_ids": [p.pk for p in projects], **mentored, **placed}


SESSION_TOPICS = [
    "პროექტის გეგმის განხილვა",
    "ბიუჯეტის შესრულება და ანგარიშგება",
    "მოხალისეების ჩართულობა",
    "კომუნიკაცია ადგილობრივ ხელისუფლებასთან",
]
ACTIONS = [
    "შუალედური ანგარიშის პროექტის მომზადება",
    "საჯარო შეხვედრის დღის წესრიგის შეთანხმება",
    "მონიტორინგის კითხვარის გადახედვა",
]


def _mentorships(scale: Scale, rng, stdout, projects, user_ids) -> dict:
    """About half of the generated projects get an active mentor from a small pool of generated mentors
    (declared no conflict), with three logged sessions and two agreed actions each."""
    from accounts.api import Membership, Role
    from accounts.models import RoleGrant
    from awards.models import AgreedAction, MentorAssignment, MentoringSession, Mentorship

    if not projects or not user_ids:
        return {}
    # Mentors belong to no organisation (so no mentored organisation is theirs) and hold no other role.
    taken = set(Membership.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    taken |= set(RoleGrant.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    pool = [pk for pk in reversed(user_ids) if pk not in taken][: max(3, scale.users // 500)]
    if not pool:
        return {}
    RoleGrant.objects.bulk_create([RoleGrant(user_id=pk, role=Role.MENTOR) for pk in pool], batch_size=BATCH)
    now = timezone.now()
    today = timezone.localdate()
    chosen = [p for i, p in enumerate(projects) if i % 2 == 0]
    mentorships = Mentorship.objects.bulk_create(
        [
            Mentorship(
                project=p,
                mentor_id=rng.choice(pool),
                status="active",
                goals=rng.choice(ACTIVITIES),
                starts_on=today - dt.timedelta(days=35),
                ends_on=today + dt.timedelta(days=150),
                created_at=now - dt.timedelta(days=38),
                last_session_on=today - dt.timedelta(days=3),
            )
            for p in chosen
        ],
        batch_size=BATCH,
    )
    MentorAssignment.objects.bulk_create(
        [
            MentorAssignment(
                mentorship=m,
                mentor_id=m.mentor_id,
                assigned_at=now - dt.timedelta(days=37),
                conflict="none",
                declared_at=now - dt.timedelta(days=36),
            )
            for m in mentorships
        ],
        batch_size=BATCH,
    )
    sessions = MentoringSession.objects.bulk_create(
        [
            MentoringSession(
                mentorship=m,
                held_on=today - dt.timedelta(days=days),
                duration_minutes=rng.choice([45, 60, 90]),
                format=rng.choice(["in_person", "online", "phone"]),
                topics=rng.choice(SESSION_TOPICS),
                notes=rng.choice(ACTIVITIES),
                created_by_id=m.mentor_id,
                created_at=now - dt.timedelta(days=days),
            )
            for m in mentorships
            for days in (31, 17, 3)
        ],
        batch_size=BATCH,
    )
    latest = {s.mentorship_id: s for s in sessions}  # the last of each mentorship's three (held 3 days ago)
    grantee = {p.pk: p.grantee_id for p in chosen}
    actions = AgreedAction.objects.bulk_create(
        [
            AgreedAction(
                mentorship=m,
                session=latest[m.pk],
                text=rng.choice(ACTIONS),
                owner=owner,
                owner_person_id=grantee[m.project_id] if owner == "mentee" else None,
                due_on=today + dt.timedelta(days=rng.randrange(7, 30)),
            )
            for m in mentorships
            for owner in ("mentor", "mentee")
        ],
        batch_size=BATCH,
    )
    stdout.write(
        f"  awards: {len(pool)} mentors, {len(mentorships)} mentorships, {len(sessions)} sessions,"
        f" {len(actions)} agreed actions"
    )
    return {"mentor_ids": pool}


def _internships(scale: Scale, rng, stdout) -> dict:
    """A few verified generated organisations host placements (their admin holds the host role); every accepted
    application of a generated internship call gets an accepted offer and a candidate, and is placed (active,
    agreement acknowledged, a mid-term evaluation) while a placement of its call has a free place."""
    from accounts.api import Membership, Organisation, Role
    from accounts.models import RoleGrant
    from awards.models import RUBRIC, InternCandidate, Internship, InternshipEvaluation, Offer, Position
    from calls.models import Application, Call

    hosts_wanted = max(3, scale.organisations // 40)
    verified = list(
        Organisation.objects.filter(slug__startswith=GEN_SLUG_PREFIX, verified=True)
        .order_by("slug")
        .values_list("pk", "region")[:hosts_wanted]
    )
    admins = {}
    for org_id, user_id in (
        Membership.objects.filter(organisation_id__in=[pk for pk, _r in verified], role="admin")
        .order_by("pk")
        .values_list("organisation_id", "user_id")
    ):
        admins.setdefault(org_id, user_id)
    # A verified organisation without an admin gets one: a generated person in no organisation and with no role.
    free = generated_users().filter(memberships__isnull=True, role_grants__isnull=True).order_by("email")
    free_ids = iter(free.values_list("pk", flat=True)[: len(verified)])
    new_admins = []
    for org_id, _region in verified:
        if org_id not in admins and (user_id := next(free_ids, None)) is not None:
            admins[org_id] = user_id
            new_admins.append(Membership(organisation_id=org_id, user_id=user_id, role="admin"))
    Membership.objects.bulk_create(new_admins)
    hosts = [(org_id, (admins[org_id], region)) for org_id, region in verified if org_id in admins]
    if not hosts:
        stdout.write("  awards: no verified generated organisation to host placements")
        return {}
    have_role = set(
        RoleGrant.objects.filter(role=Role.HOST, user_id__in=[u for _o, (u, _r) in hosts]).values_list(
            "user_id", flat=True
        )
    )
    RoleGrant.objects.bulk_create(
        [RoleGrant(user_id=u, role=Role.HOST) for u in {u for _o, (u, _r) in hosts} - have_role],
        batch_size=BATCH,
    )
    calls = list(
        Call.objects.filter(slug__startswith=GEN_SLUG_PREFIX, kind="internship")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    today = timezone.localdate()
    positions = []
    for index, (org_id, (admin_id, region)) in enumerate(hosts):
        for n in range(3):
            starts = today + dt.timedelta(days=rng.randrange(-30, 60))
            positions.append(
                Position(
                    host_id=org_id,
                    title_ka=rng.choice(POSITION_TITLES),
                    region=region,
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=rng.choice([60, 90, 120])),
                    slots=rng.randrange(2, 6),
                    tasks=rng.choice(ACTIVITIES),
                    call_id=calls[(index * 3 + n) % len(calls)] if calls else None,
                    supervisor_id=admin_id,
                    status="published",
                    created_by_id=admin_id,
                    created_at=now - dt.timedelta(days=45),
                    updated_at=now - dt.timedelta(days=45),
                )
            )
    positions = Position.objects.bulk_create(positions, batch_size=BATCH)
    applications = list(
        Application.objects.filter(
            call_id__in=calls, status="decided", outcome="accepted", offer__isnull=True
        ).order_by("pk")
    )
    Offer.objects.bulk_create(
        [
            Offer(
                application=a,
                status="accepted",
                response_deadline=now - dt.timedelta(days=30),
                responded_by_id=a.applicant_id,
                responded_at=now - dt.timedelta(days=40),
                acknowledged_at=now - dt.timedelta(days=40),
            )
            for a in applications
        ],
        batch_size=BATCH,
    )
    candidates = InternCandidate.objects.bulk_create(
        [
            InternCandidate(
                application_id=a.pk,
                call_id=a.call_id,
                person_id=a.applicant_id,
                ready_at=now - dt.timedelta(days=40),
            )
            for a in applications
        ],
        batch_size=BATCH,
    )
    free = {p.pk: p.slots for p in positions}
    internships = []
    for candidate in candidates:
        position = next(
            (p for p in positions if p.call_id == candidate.call_id and free[p.pk] > 0),
            None,
        )
        if position is None:
            continue  # stays a candidate waiting for a placement
        free[position.pk] -= 1
        internships.append(
            Internship(
                position=position,
                intern_id=candidate.person_id,
                candidate=candidate,
                supervisor_id=position.supervisor_id,
                starts_on=position.starts_on,
                ends_on=position.ends_on,
                objectives=rng.choice(ACTIVITIES),
                agreed_tasks=position.tasks,
                schedule="ორშაბათიდან ოთხშაბათამდე, 10:00–15:00",
                acknowledged_at=now - dt.timedelta(days=20),
                status="active",
                selected_by_id=position.supervisor_id,
                selected_at=now - dt.timedelta(days=25),
            )
        )
    internships = Internship.objects.bulk_create(internships, batch_size=BATCH)
    InternshipEvaluation.objects.bulk_create(
        [
            InternshipEvaluation(
                internship=i,
                kind="midterm",
                ratings={key: {"score": rng.randrange(3, 6), "comment": ""} for key, _label in RUBRIC},
                overall="სტაჟიორი პასუხისმგებლობით ასრულებს დავალებებს.",
                author_id=i.supervisor_id,
                submitted_at=now - dt.timedelta(days=5),
            )
            for i in internships
        ],
        batch_size=BATCH,
    )
    stdout.write(
        f"  awards: {len(hosts)} host organisations, {len(positions)} placements, {len(candidates)} intern"
        f" candidates, {len(internships)} internships"
    )
    return {"position_ids": [p.pk for p in positions]}


POSITION_TITLES = [
    "სტაჟიორი საზოგადოებასთან ურთიერთობაში",
    "სტაჟიორი კვლევისა და მონიტორინგის მიმართულებით",
    "სტაჟიორი იურიდიულ დახმარებაში",
    "სტაჟიორი პროექტების მართვაში",
]


def delete() -> None:
    from awards.models import GrantProject, InternCandidate, Internship, Offer, Payment, Position, Tranche

    generated_positions = Position.objects.filter(host__slug__startswith=GEN_SLUG_PREFIX)
    Internship.objects.filter(position__in=generated_positions).delete()  # cascades to evaluations
    generated_positions.delete()
    InternCandidate.objects.filter(call__slug__startswith=GEN_SLUG_PREFIX).delete()
    projects = GrantProject.objects.filter(call__slug__startswith=GEN_SLUG_PREFIX)
    Payment.objects.filter(tranche__project__in=projects).delete()
    Tranche.objects.filter(project__in=projects).delete()
    projects.delete()  # cascades to budget, milestones, reports, versions, receipts, editors, mentorships
    Offer.objects.filter(application__call__slug__startswith=GEN_SLUG_PREFIX).delete()
