# One format per kind, 24-hour clock (docs/glossary.md); Django's own English formats say "6:30 p.m.".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
# Amounts group thousands with a non-breaking space ("15 000.50"), so a number never wraps.
THOUSAND_SEPARATOR = "\xa0"
DECIMAL_SEPARATOR = "."
