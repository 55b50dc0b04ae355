"""Load demo content: accounts and organisations first, then each domain app's ``demo.seed``.

Idempotent: running it twice creates nothing twice. It runs, and prints the demo logins, on a local site
(``make run``: CIVICHUB_LOCAL) or with DEBUG on; elsewhere it refuses unless ``--force`` is given, and then prints
no passwords.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ORDER = [
    "accounts",
    "learning",
    "calls",
    "credentials",
    "community",
    "awards",
    "events",
    "insights",
]  # insights last


class Command(BaseCommand):
    help = "Load demo organisations, one user per role, and each domain's demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run on a site that is neither local nor in DEBUG (passwords are not printed).",
        )

    def handle(self, *args, force=False, **options):
        demo_site = settings.DEBUG or settings.LOCAL
        if not demo_site and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords; it runs only on a local site (CIVICHUB_LOCAL=true), "
                "with DEBUG=true, or with --force."
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
        if demo_site and logins:
            self.stdout.write("")
            self.stdout.write("Demo logins")
            for role, email, extra in logins:
                self.stdout.write(f"  {role:<28} {email:<34} {extra}")
