"""Load demo content: accounts and organisations first, then each domain app's ``demo.seed``.

Idempotent: running it twice creates nothing twice. Passwords are printed only when DEBUG is on;
without DEBUG the command refuses to run unless ``--force`` is given.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ORDER = ["accounts", "learning", "calls", "credentials", "community"]


class Command(BaseCommand):
    help = "Load demo organisations, one user per role, and each domain's demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (passwords are not printed)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords; it runs only with DEBUG=true (or --force)."
            )
        logins = []
        for label in ORDER:
            if not apps.is_installed(label) or importlib.util.find_spec(f"{label}.demo") is None:
                continue
            module = importlib.import_module(f"{label}.demo")
            result = module.seed(stdout=self.stdout)
            if result:
                logins.extend(result)
            self.stdout.write(f"demo content: {label} ready")
        if settings.DEBUG and logins:
            self.stdout.write("")
            self.stdout.write("Demo logins")
            for role, email, extra in logins:
                self.stdout.write(f"  {role:<28} {email:<34} {extra}")
