#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichub.settings")
    # A developer's checkout has no SECRET_KEY: run management commands in development mode then.
    # Deployments set SECRET_KEY, so DEBUG stays off unless they say otherwise.
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        os.environ["DEBUG"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
