from django.apps import AppConfig
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
