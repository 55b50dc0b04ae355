"""Permission-matrix rows of the credentials domain."""

from credentials import services
from credentials.models import AchievementKind
from credentials.tasks import build_ceremony
from tests.credentials.keys import test_private_key
from tests.matrix import PUBLIC, SIGNED_IN, STAFF_ONLY, Row, expect


def build(world):
    services.rotate_signing_key(private_key=test_private_key(0))
    world.achievement = services.ensure_achievement(
        key="course:matrix",
        defaults={
            "kind": AchievementKind.COURSE,
            "name_ka": "მატრიცა",
            "description_ka": "აღწერა",
            "criteria_ka": "კრიტერიუმები",
        },
    )
    world.credential, _ = services.issue_credential(user=world.learner, achievement=world.achievement)
    world.cred_hidden_name, _ = services.issue_credential(
        user=world.learner,
        achievement=services.ensure_achievement(
            key="call:matrix",
            defaults={
                "kind": AchievementKind.CERTIFICATION,
                "name_ka": "სერტიფიცირება",
                "description_ka": "ა",
                "criteria_ka": "კ",
            },
        ),
    )
    services.set_show_name(credential=world.cred_hidden_name, show=False, by=world.learner)
    world.ceremony = services.create_ceremony(
        title="კონფერენცია", credentials=[world.credential], by=world.staff
    )
    build_ceremony.call(world.ceremony.pk)


def _cred(world):
    return [world.credential.pk]


OWNER_ONLY_POST = expect(404, anon=302, learner=302)
STAFF_OBJECT = expect(404, anon=302, staff=200)

ROWS = [
    Row("credentials:my_credentials", SIGNED_IN),
    Row(
        "credentials:set_visibility",
        OWNER_ONLY_POST,
        args=_cred,
        method="post",
        data=lambda w: {f"{w.credential.pk}-show_name": "on"},
    ),
    Row("credentials:verify", PUBLIC, args=_cred),
    Row(
        "credentials:verify",
        expect(404),
        args=lambda w: ["00000000-0000-4000-8000-000000000000"],
        note="unknown",
    ),
    Row("credentials:verifier", PUBLIC),
    Row(
        "credentials:verifier",
        PUBLIC,
        method="post",
        data=lambda w: {"token": "garbage"},
        note="garbage gets a verdict",
    ),
    Row("credentials:issuer", PUBLIC),
    Row("credentials:achievement_detail", PUBLIC, args=lambda w: [w.achievement.key]),
    Row("credentials:manage", STAFF_ONLY),
    Row("credentials:revoke", STAFF_OBJECT, args=_cred),
    Row("credentials:reissue", STAFF_OBJECT, args=_cred),
    Row("credentials:bulk_issue", STAFF_ONLY),
    Row("credentials:ceremonies", STAFF_ONLY),
    Row("credentials:ceremony_detail", STAFF_OBJECT, args=lambda w: [w.ceremony.pk]),
    Row(
        "credentials:ceremony_retry",
        expect(404, anon=302, staff=302),
        args=lambda w: [w.ceremony.pk],
        method="post",
        note="a finished print run is left alone",
    ),
    Row("credentials:ceremony_download", STAFF_OBJECT, args=lambda w: [w.ceremony.pk, "pdf"]),
    Row("credentials:ceremony_download", STAFF_OBJECT, args=lambda w: [w.ceremony.pk, "csv"], note="csv"),
    # machine endpoints
    Row("credentials_issuer_json", PUBLIC),
    Row("credentials_jwks", PUBLIC),
    Row("credentials_jwk", PUBLIC, args=lambda w: [w.credential.signing_key.kid]),
    Row("credentials_achievement_json", PUBLIC, args=lambda w: [w.achievement.key]),
    Row("credentials_credential_json", PUBLIC, args=_cred),
    Row("credentials_download", PUBLIC, args=lambda w: [w.credential.pk, "json"]),
    Row("credentials_download", PUBLIC, args=lambda w: [w.credential.pk, "png"], note="png"),
    Row("credentials_download", PUBLIC, args=lambda w: [w.credential.pk, "pdf"], note="pdf, name shown"),
    Row(
        "credentials_download",
        expect(404, learner=200, staff=200),
        args=lambda w: [w.cred_hidden_name.pk, "pdf"],
        note="pdf, name hidden",
    ),
    Row("credentials_status_list", PUBLIC),
    Row("credentials_short", expect(302), args=lambda w: [w.credential.short_code]),
]

__all__ = ["ROWS", "build"]
