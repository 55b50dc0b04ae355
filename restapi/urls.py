from django.urls import path

from restapi import feeds, views

app_name = "restapi"
urlpatterns = [
    path("docs/", views.docs, name="docs"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<id:pk>/revoke/", views.revoke, name="token_revoke"),
    path("feeds/calls.rss", feeds.CallsFeed(), name="calls_rss"),
    path("feeds/calls.atom", feeds.CallsAtomFeed(), name="calls_atom"),
    path("feeds/calls.ics", feeds.calls_calendar, name="calls_ics"),
    path("feeds/opportunities.rss", feeds.OpportunitiesFeed(), name="opportunities_rss"),
    path("feeds/opportunities.atom", feeds.OpportunitiesAtomFeed(), name="opportunities_atom"),
]
