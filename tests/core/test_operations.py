import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.models import Organisation, RoleGrant, User

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='civichub.settings'; django.setup();"
        "from django.test import Client; r = Client().get('/healthz', HTTP_HOST='localhost'); print(r.status_code, r.json()['database'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "503 unreachable", result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    assert "<script>" not in body and " style=" not in body


@pytest.mark.django_db
def test_georgian_is_the_default_and_english_lives_under_en(client):
    ka = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ka">' in ka and "პლატფორმა საქართველოს სამოქალაქო საზოგადოებისთვის" in ka
    en = client.get("/en/").content.decode()
    assert '<html lang="en">' in en and "A platform for civil society in Georgia" in en


@pytest.mark.django_db
def test_the_language_switch_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/organisations/"})
    assert response["Location"] == "/en/organisations/"


@pytest.mark.django_db
def test_404_page_is_translated(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "გვერდი ვერ მოიძებნა" in response.content.decode()


def test_passwords_are_hashed_with_argon2_outside_tests():
    assert "Argon2PasswordHasher" in settings.PASSWORD_HASHERS[1]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins_only_in_debug(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), RoleGrant.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Organisation.objects.count(), RoleGrant.objects.count()) == counts
    out = capsys.readouterr().out
    assert "staff@demo.civichub.ge" in out and "civichub-demo-2026" in out
    assert "donor@demo.civichub.ge" in out  # a later domain's login is printed too (insights, seeded last)
    assert Organisation.objects.filter(verified=True).count() >= 2
    assert len(set(Organisation.objects.values_list("region", flat=True))) >= 4


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings, capsys):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    call_command("seed_demo", "--force")
    assert "civichub-demo-2026" not in capsys.readouterr().out
    assert User.objects.filter(email="staff@demo.civichub.ge").exists()
