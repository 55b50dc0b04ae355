"""Region names for this app's catalogue, so the region filters and case pages read in Georgian.

``accounts.regions.Region`` marks them for translation; listing them here puts them in community's catalogue
as well (Django merges the catalogues of every app), until the project catalogue carries them.
"""

from django.utils.translation import gettext_noop

REGION_NAMES = [
    gettext_noop("Tbilisi"),
    gettext_noop("Adjara"),
    gettext_noop("Abkhazia"),
    gettext_noop("Guria"),
    gettext_noop("Imereti"),
    gettext_noop("Kakheti"),
    gettext_noop("Kvemo Kartli"),
    gettext_noop("Mtskheta-Mtianeti"),
    gettext_noop("Racha-Lechkhumi and Kvemo Svaneti"),
    gettext_noop("Samegrelo-Zemo Svaneti"),
    gettext_noop("Samtskhe-Javakheti"),
    gettext_noop("Shida Kartli"),
]
