from django.core.management import call_command

from accounts.api import Role, User
from insights import demo, queries
from insights.models import Snapshot


def test_demo_seed_is_idempotent_and_computes_figures_from_the_demo_data(db, signing_key):
    from accounts import demo as accounts_demo
    from learning import demo as learning_demo

    accounts_demo.seed()
    learning_demo.seed()
    first = demo.seed()
    second = demo.seed()

    assert first == second == [("donor viewer", demo.DONOR_EMAIL, f"password {demo.DEMO_PASSWORD}")]
    donor = User.objects.get(email=demo.DONOR_EMAIL)
    assert list(donor.role_grants.values_list("role", flat=True)) == [Role.DONOR]
    assert User.objects.get(email="nino@demo.civichub.ge").gender == "woman"
    assert Snapshot.objects.count() == 2  # one per run: the newest figures


def test_seed_demo_computes_the_figures_last(db, signing_key, settings, capsys):
    settings.DEBUG = False
    settings.LOCAL = False
    call_command("seed_demo", force=True)  # (logins are printed on a demo site only)

    out = capsys.readouterr().out
    assert out.rstrip().endswith("demo content: insights ready")
    facts = queries.facts_of(queries.latest_snapshot())
    assert {fact["f"] for fact in facts} >= {"applications", "credentials", "internships"}
