"""Logging filters named in ``settings.LOGGING``."""

from __future__ import annotations

import logging


class ClientErrorsAsWarnings(logging.Filter):
    """Log what a client did wrong as a one-line warning, not as an error with a traceback.

    Django logs a request it refuses as a client error (too many form fields, an unreadable body, a bad Host
    header: the ``django.security.*`` loggers, and ``django.request`` for a 4xx answer) with the exception's
    traceback, some at ERROR level. They are not faults of the site and would bury the real errors.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        client_error = record.name.startswith("django.security.") or (
            isinstance(status, int) and 400 <= status < 500
        )
        if client_error:
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
