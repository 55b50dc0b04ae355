from accounts import demo as accounts_demo
from calls import demo
from calls.models import Application, Assignment, Call, Status


def test_demo_seed_is_idempotent_and_shows_the_workflow(db):
    accounts_demo.seed()
    demo.seed()
    demo.seed()
    assert set(Call.objects.values_list("slug", flat=True)) == {
        "individual-certification-2026",
        "small-grants-2026",
        "internships-2026",
    }
    nino = Application.objects.get(applicant__email="nino@demo.civichub.ge")
    assert nino.status == Status.IN_REVIEW and nino.reference.startswith("CH-")
    assert Assignment.objects.get(application=nino).reviewer.email == "expert@demo.civichub.ge"
    assert Application.objects.count() == 2
    assert str(Call.objects.get(slug="small-grants-2026").budget_max) == "5000.00"
