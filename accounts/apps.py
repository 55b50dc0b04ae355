from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

STAFF_GROUP = "programme staff"
# Apps whose models programme staff manage in the admin (site admins are superusers and see everything).
STAFF_APP_LABELS = ("accounts", "learning", "calls", "credentials", "community")


def sync_staff_group(**kwargs):
    """Keep the programme-staff group holding every permission of the domain apps."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APP_LABELS)
    group.permissions.set(permissions)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        post_migrate.connect(sync_staff_group, dispatch_uid="accounts.sync_staff_group")
        from accounts import signals

        signals.connect()
