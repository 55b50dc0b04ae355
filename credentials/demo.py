"""Demo data: issuer profile, a signing key, and certificates for the demo learners (idempotent)."""

from __future__ import annotations

import importlib.util

from django.apps import apps

from accounts.api import User
from credentials import services, signing
from credentials.models import Credential

DEMO_COURSE = "public-policy-analysis"


def seed(stdout=None):
    services.issuer_profile()
    if signing.current_key() is None:
        key = services.rotate_signing_key()
        if stdout is not None:
            stdout.write(f"credentials: signing key {key.kid}\n")
    if not (apps.is_installed("learning") and importlib.util.find_spec("learning.api")):
        return []
    from learning import api as learning_api

    course = learning_api.published_courses().filter(slug=DEMO_COURSE).first()
    nino = User.objects.filter(email="nino@demo.civichub.ge").first()
    if course is None or nino is None:
        return []
    achievement = services.achievement_for_course(course)
    credential, created = services.issue_credential(user=nino, achievement=achievement)
    notes = [
        ("certificate (valid)", "nino@demo.civichub.ge", f"verification page /credentials/c/{credential.pk}/")
    ]
    giorgi = User.objects.filter(email="giorgi@demo.civichub.ge").first()
    if giorgi is not None:
        revoked = Credential.objects.filter(user=giorgi, achievement=achievement).first()
        if revoked is None:
            revoked, _created = services.issue_credential(user=giorgi, achievement=achievement)
            services.revoke_credential(credential=revoked, reason="გაცემულია შეცდომით (demo).", by=None)
        notes.append(
            (
                "certificate (revoked)",
                "giorgi@demo.civichub.ge",
                f"verification page /credentials/c/{revoked.pk}/",
            )
        )
    if stdout is not None and created:
        stdout.write(f"credentials: demo certificate {credential.pk}\n")
    return notes
