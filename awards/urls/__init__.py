"""The awards URLs, one module per sub-domain."""

from awards.urls import internships, mentoring, offers, projects

app_name = "awards"
urlpatterns = [*offers.urlpatterns, *projects.urlpatterns, *mentoring.urlpatterns, *internships.urlpatterns]
