from accounts.models import Invitation
from tests.matrix import PUBLIC, SIGNED_IN, STAFF_ONLY, Row, expect


def build(world):
    world.invitation = Invitation.objects.create(
        organisation=world.org_admin.organisations.get(), email="nino@example.org", invited_by=world.org_admin
    )


def _org(world):
    return [world.org_admin.organisations.get().slug]


def _learner_org(world):
    return [world.learner.organisations.get().slug]


ROWS = [
    Row("home", PUBLIC),
    Row("healthz", PUBLIC),
    Row("set_language", expect(302), method="post", data=lambda w: {"language": "en", "next": "/"}),
    # allauth: pages for visitors redirect signed-in people away, pages for members send visitors to sign in.
    Row("account_login", expect(302, anon=200)),
    Row("account_signup", expect(302, anon=200)),
    Row("account_logout", expect(302, anon=302), method="post"),
    Row("account_reset_password", PUBLIC),
    Row("account_reset_password_done", PUBLIC),
    Row("account_reset_password_from_key", expect(200), args=lambda w: ["xx", "bad-key"], note="invalid key"),
    Row("account_reset_password_from_key_done", PUBLIC),
    Row("account_confirm_email", expect(200), args=lambda w: ["not-a-key"], note="invalid key"),
    Row("account_email_verification_sent", PUBLIC),
    Row("account_inactive", PUBLIC),
    Row("account_confirm_login_code", expect(302, anon=302), note="login by code is off"),
    Row("account_email", SIGNED_IN),
    Row("account_change_password", SIGNED_IN),
    Row("account_set_password", expect(302), note="everyone has a password"),
    Row("account_reauthenticate", SIGNED_IN),
    Row("mfa_index", SIGNED_IN),
    Row("mfa_activate_totp", expect(302), note="asks to re-authenticate first"),
    Row("mfa_deactivate_totp", expect(404, anon=302, reviewer=302, staff=302)),
    Row("mfa_view_recovery_codes", expect(404, anon=302)),
    Row("mfa_download_recovery_codes", expect(404, anon=302)),
    Row("mfa_generate_recovery_codes", expect(302)),
    Row("mfa_authenticate", expect(302), note="no pending login"),
    Row("mfa_reauthenticate", expect(302, anon=302, reviewer=200, staff=200)),
    # our own account pages
    Row("accounts:profile", SIGNED_IN),
    Row("accounts:profile_edit", SIGNED_IN),
    Row("accounts:delete_account", SIGNED_IN),
    Row("accounts:organisation_list", SIGNED_IN),
    Row("accounts:organisation_create", SIGNED_IN),
    Row("accounts:organisation_detail", PUBLIC, args=_org),
    Row("accounts:organisation_edit", expect(404, anon=302, org_admin=200, staff=200), args=_org),
    Row("accounts:organisation_invite", expect(404, anon=302, org_admin=200, staff=200), args=_org),
    Row(
        "accounts:organisation_edit",
        expect(404, anon=302, staff=200),
        args=_learner_org,
        note="member, not admin",
    ),
    Row(
        "accounts:organisation_member",
        expect(404, anon=302, org_admin=302, staff=302),
        method="post",
        args=lambda w: [w.org_admin.organisations.get().slug, w.org_admin.memberships.get().pk],
        data=lambda w: {"action": "make_admin"},
    ),
    Row("accounts:accept_invitation", SIGNED_IN, args=lambda w: [w.invitation.token]),
    # the admin: staff with two-factor authentication only
    Row("admin:index", expect(302, staff=200)),
    Row("admin:accounts_user_changelist", expect(302, staff=200)),
    Row("admin:accounts_organisation_changelist", expect(302, staff=200)),
]
# STAFF_ONLY is exported for other domains' rows.
__all__ = ["ROWS", "build", "STAFF_ONLY"]
