from django.core.management.base import BaseCommand

from credentials import services


class Command(BaseCommand):
    help = "Generate a new RS256 (3072-bit) signing key; the previous key is retired but stays published."

    def handle(self, *args, **options):
        row = services.rotate_signing_key()
        self.stdout.write(f"New signing key {row.kid} (public JWK at /ob/keys/{row.kid}).")
