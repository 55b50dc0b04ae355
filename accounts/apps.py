from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from allauth.account.signals import password_reset

        from accounts.adapter import password_was_reset
        from accounts.services import sync_staff_group

        post_migrate.connect(sync_staff_group, dispatch_uid="accounts.sync_staff_group")
        password_reset.connect(password_was_reset, dispatch_uid="accounts.password_was_reset")


class CivicAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site: entered through allauth's sign-in and only with two-factor set up."""

    default = False
    default_site = "accounts.admin_site.CivicAdminSite"
