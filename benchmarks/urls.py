"""Mounted at ``bench/`` by ``civichub/urls.py`` only when the benchmarks app is installed."""

from django.urls import path

from benchmarks import views

urlpatterns = [
    path("trivial", views.trivial, name="bench_trivial"),
]
