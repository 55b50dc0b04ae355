"""Georgia's regions (mkhare), Tbilisi and the autonomous republics, as one fixed list."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    TBILISI = "tbilisi", _("Tbilisi")
    ADJARA = "adjara", _("Adjara")
    ABKHAZIA = "abkhazia", _("Abkhazia")
    GURIA = "guria", _("Guria")
    IMERETI = "imereti", _("Imereti")
    KAKHETI = "kakheti", _("Kakheti")
    KVEMO_KARTLI = "kvemo_kartli", _("Kvemo Kartli")
    MTSKHETA_MTIANETI = "mtskheta_mtianeti", _("Mtskheta-Mtianeti")
    RACHA_LECHKHUMI = "racha_lechkhumi", _("Racha-Lechkhumi and Kvemo Svaneti")
    SAMEGRELO = "samegrelo", _("Samegrelo-Zemo Svaneti")
    SAMTSKHE_JAVAKHETI = "samtskhe_javakheti", _("Samtskhe-Javakheti")
    SHIDA_KARTLI = "shida_kartli", _("Shida Kartli")
