"""Words django-allauth also translates, spelled as docs/glossary.md says.

They are marked here so that the root catalogue (locale/), which outranks allauth's Georgian catalogue, keeps them
when `make messages` runs: makemessages reads files, not imports, so nothing needs to import this module.
"""

from django.utils.translation import gettext_noop

GLOSSARY_OVERRIDES = (gettext_noop("Email"), gettext_noop("verified"))
