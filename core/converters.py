"""Path converters shared by every app's urls.py."""


class IdConverter:
    """A database id in a URL: digits that fit a 64-bit integer column on SQLite and PostgreSQL alike.

    ``<int:pk>`` accepts any number of digits, and an id beyond the column's range made SQLite raise
    OverflowError (a 500) instead of a 404. Eighteen digits always fit; a longer path does not match at all.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
