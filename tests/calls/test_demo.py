from django.urls import reverse

from accounts import demo as accounts_demo
from calls import demo
from calls.models import Application, Assignment, Call, Status


def test_demo_seed_is_idempotent_and_shows_the_workflow(db):
    accounts_demo.seed()
    demo.seed()
    demo.seed()
    assert set(Call.objects.values_list("slug", flat=True)) >= {  # stages adds a two-stage call
        "individual-certification-2026",
        "small-grants-2026",
        "internships-2026",
    }
    nino = Application.objects.get(
        applicant__email="nino@demo.civichub.ge", call__slug="individual-certification-2026"
    )
    assert nino.status == Status.IN_REVIEW and nino.reference.startswith("CH-")
    assert Assignment.objects.get(application=nino).reviewer.email == "expert@demo.civichub.ge"
    in_progress = Application.objects.get(
        applicant__email="nino@demo.civichub.ge", call__slug="internships-2026"
    )
    assert in_progress.status == Status.DRAFT and in_progress.data["motivation"]
    assert (
        Application.objects.filter(call__concept_stage__isnull=True, call__full_stage__isnull=True).count()
        == 5  # awards: with giorgi's internship application, accepted with its letter sent
    )
    assert str(Call.objects.get(slug="small-grants-2026").budget_max) == "5000.00"


def test_the_demo_draft_is_reachable_from_the_learners_pages(client, db):
    accounts_demo.seed()
    demo.seed()
    nino = Application.objects.get(
        applicant__email="nino@demo.civichub.ge", call__slug="internships-2026"
    ).applicant
    client.force_login(nino)
    html = client.get(reverse("calls:my_applications")).content.decode()
    draft = Application.objects.get(applicant=nino, status=Status.DRAFT)
    assert reverse("calls:application_form", args=[draft.pk]) in html
    assert client.get(reverse("calls:application_form", args=[draft.pk])).status_code == 200
