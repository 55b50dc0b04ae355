from django.apps import apps

from credentials import demo
from credentials.models import Credential, SigningKey


def test_demo_seed_is_idempotent_and_gives_a_page_to_show(db, signing_key):
    from accounts import demo as accounts_demo

    # signing_key installs the session's pre-generated key, so the demo does not generate one (slow)
    accounts_demo.seed()
    if apps.is_installed("learning"):
        from learning import demo as learning_demo

        learning_demo.seed()
    first = demo.seed()
    second = demo.seed()
    assert SigningKey.objects.count() == 1
    assert first == second
    if apps.is_installed("learning"):
        assert Credential.objects.filter(user__email="nino@demo.civichub.ge", status="active").count() == 1
        assert Credential.objects.filter(user__email="giorgi@demo.civichub.ge", status="revoked").count() == 1
