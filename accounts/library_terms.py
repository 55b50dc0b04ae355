"""Words the libraries we use translate differently from docs/glossary.md, or do not translate into Georgian.

They are marked here so that the root catalogue (locale/), which outranks the libraries' catalogues, keeps our
translation when `make messages` runs: makemessages reads files, not imports, so nothing needs to import this module.
"""

from django.utils.translation import gettext_noop

# django-allauth spells these differently from the glossary.
ALLAUTH = (gettext_noop("Email"), gettext_noop("verified"))

# Django's admin has no Georgian for these (its ka catalogue leaves them empty).
DJANGO_ADMIN = (
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Model name"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Search"),
)
