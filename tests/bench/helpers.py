"""Shared by the bench tests that generate the tiny scale in process and open the bench pages as its people."""

from http.cookies import SimpleCookie
from io import StringIO

from django.core.management import call_command
from django.test import Client


def generate_tiny(replace: bool = False) -> str:
    """``generate_data`` at the tiny scale with a fixed seed; returns what it printed."""
    from benchmarks.management.commands import generate_data

    out = StringIO()
    call_command(generate_data.Command(), scale="tiny", seed=3, replace=replace, stdout=out)
    return out.getvalue()


def client_with(cookie: str) -> Client:
    """A test client carrying a bench target's session cookie (as ``benchmarks.prepare`` writes it)."""
    client = Client()
    for name, morsel in SimpleCookie(cookie).items():
        client.cookies[name] = morsel.value
    return client
