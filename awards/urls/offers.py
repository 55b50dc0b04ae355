"""Offers URLs."""

from django.urls import URLPattern, path

from awards.views import offers as views

urlpatterns: list[URLPattern] = [
    path("offers/", views.my_offers, name="my_offers"),
    path("offers/<id:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<id:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<id:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("offers/<id:pk>/agreement.pdf", views.offer_agreement, name="offer_agreement"),
    path("offers/<id:pk>/signed-copy/", views.offer_signed_copy, name="offer_signed_copy"),
    path("offers/<id:pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("offers/<id:pk>/promote/", views.offer_promote, name="offer_promote"),
    path("offers/staff/", views.staff_offers, name="staff_offers"),
    path("offers/staff/application/<id:pk>/", views.make_offer, name="make_offer"),
    path("offers/staff/<slug:slug>/", views.call_offers, name="call_offers"),
    path("offers/staff/<slug:slug>/make/", views.make_offers, name="make_offers"),
    path("offers/staff/<slug:slug>/offers.csv", views.export_offers, {"fmt": "csv"}, name="offers_csv"),
    path("offers/staff/<slug:slug>/offers.xlsx", views.export_offers, {"fmt": "xlsx"}, name="offers_xlsx"),
]
