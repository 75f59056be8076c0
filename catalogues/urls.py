from django.urls import path

from . import views

urlpatterns = [
    path("emergency/", views.emergency, name="emergency"),
    path("catalogue/", views.catalogue_admin, name="catalogue-admin"),
    path("catalogue/<slug:slug>/draft/", views.draft_detail, name="catalogue-draft"),
    path("catalogue/<slug:slug>/draft/start/", views.draft_start, name="catalogue-draft-start"),
    path("catalogue/<slug:slug>/draft/publish/", views.draft_publish, name="catalogue-publish"),
    path("catalogue/<slug:slug>/draft/discard/", views.draft_discard, name="catalogue-discard"),
    path("catalogue/<slug:slug>/draft/indicators/new/", views.indicator_edit, name="catalogue-indicator-new"),
    path("catalogue/<slug:slug>/draft/indicators/<str:indicator_id>/", views.indicator_edit,
         name="catalogue-indicator-edit"),
    path("catalogue/<slug:slug>/draft/indicators/<str:indicator_id>/<str:action>/", views.indicator_action,
         name="catalogue-indicator-action"),
    path("catalogue/<slug:slug>/draft/sections/<str:section>/", views.section_edit, name="catalogue-section"),
    path("catalogue/<slug:slug>/upload/", views.catalogue_upload, name="catalogue-upload"),
    path("catalogue/<slug:slug>/download/", views.catalogue_download, name="catalogue-download"),
    path("catalogue/<slug:slug>/history/", views.catalogue_history, name="catalogue-history"),
]
