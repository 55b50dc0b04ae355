"""Permission-matrix rows of core's installable-app shell (core/pwa.py): the same for everyone."""

from tests.matrix import PUBLIC, Row

ROWS = [
    Row("service_worker", PUBLIC),
    Row("web_manifest", PUBLIC),
    Row("offline", PUBLIC),
]
