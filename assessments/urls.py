from django.urls import path

from . import views

urlpatterns = [
    path("assessments/new/", views.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/indicators/", views.assessment_indicator_search, name="assessment-indicator-search"),
    path("assessments/<int:pk>/level/", views.assessment_choose_level, name="assessment-choose-level"),
]
