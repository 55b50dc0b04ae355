from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The load benchmark's data generators, timers and trivial view.

    Installed only when benchmarking (``CIVICHUB_BENCH=true``, which ``make bench`` sets), so production has
    neither its commands nor its URL.
    """

    name = "benchmarks"
    verbose_name = "Benchmarks"
