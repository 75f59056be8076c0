from django.urls import path

from . import views

urlpatterns = [
    path("assessments/new/", views.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/indicators/", views.assessment_indicator_search, name="assessment-indicator-search"),
    path("assessments/<int:pk>/level/", views.assessment_choose_level, name="assessment-choose-level"),
    path("assessments/<int:pk>/compare/", views.assessment_compare, name="assessment-compare"),
    path("assessments/<int:pk>/compare/<slug:slug>/", views.assessment_compare_match, name="assessment-compare-match"),
    path("assessments/<int:pk>/comparisons/<int:cpk>/", views.assessment_comparison, name="assessment-comparison"),
    path("assessments/<int:pk>/comparisons/<int:cpk>/start/", views.assessment_comparison_start,
         name="assessment-comparison-start"),
]
