from django.urls import path

from . import views

urlpatterns = [
    path("insight/", views.insight_home, name="insight"),
    path("insight/organisation/<int:pk>/", views.organisation_page, name="insight-organisation"),
    path("insight/organisation/<int:pk>/figures.csv", views.organisation_csv, name="insight-organisation-csv"),
    path("insight/partnership/<slug:slug>/", views.partnership_page, name="insight-partnership"),
    path("insight/partnership/<slug:slug>/figures.csv", views.partnership_csv, name="insight-partnership-csv"),
]
