from django.urls import path

from . import admin_views, views

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment-list"),
    path("assessments/new/", views.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/level/", views.assessment_choose_level, name="assessment-choose-level"),
]

urlpatterns += [
    path("catalogue/", admin_views.catalogue_admin, name="catalogue-admin"),
    path("catalogue/<slug:slug>/draft/", admin_views.draft_detail, name="catalogue-draft"),
    path("catalogue/<slug:slug>/draft/start/", admin_views.draft_start, name="catalogue-draft-start"),
    path("catalogue/<slug:slug>/draft/publish/", admin_views.draft_publish, name="catalogue-publish"),
    path("catalogue/<slug:slug>/draft/discard/", admin_views.draft_discard, name="catalogue-discard"),
    path("catalogue/<slug:slug>/draft/indicators/new/", admin_views.indicator_edit, name="catalogue-indicator-new"),
    path("catalogue/<slug:slug>/draft/indicators/<str:indicator_id>/", admin_views.indicator_edit,
         name="catalogue-indicator-edit"),
    path("catalogue/<slug:slug>/draft/indicators/<str:indicator_id>/<str:action>/", admin_views.indicator_action,
         name="catalogue-indicator-action"),
    path("catalogue/<slug:slug>/draft/sections/<str:section>/", admin_views.section_edit, name="catalogue-section"),
    path("catalogue/<slug:slug>/upload/", admin_views.catalogue_upload, name="catalogue-upload"),
    path("catalogue/<slug:slug>/download/", admin_views.catalogue_download, name="catalogue-download"),
    path("catalogue/<slug:slug>/history/", admin_views.catalogue_history, name="catalogue-history"),
]
