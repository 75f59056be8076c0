from django.urls import path

from . import views

urlpatterns = [
    path("assessments/", views.my_work, name="assessment-list"),
    path("assessments/<int:assessment_pk>/draft/", views.draft_create, name="draft-create"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft-detail"),
    path("drafts/<int:pk>/pdf/", views.draft_pdf, name="draft-pdf"),
    path("drafts/<int:pk>/pdf/<uuid:token>/", views.draft_pdf_prepared, name="draft-pdf-prepared"),
    path("drafts/<int:pk>/national.json", views.draft_national, name="draft-national"),
    path("drafts/<int:pk>/submit/", views.draft_submit, name="draft-submit"),
    path("drafts/<int:pk>/save-and-sign-out/", views.draft_save_and_sign_out, name="draft-save-sign-out"),
    path("drafts/<int:pk>/review/", views.draft_review, name="draft-review"),
    path("drafts/<int:pk>/sent/", views.draft_sent, name="draft-sent"),
    path("drafts/<int:pk>/decision/", views.draft_decision, name="draft-decision"),
    path("drafts/<int:pk>/close/", views.draft_close, name="draft-close"),
    path("review/", views.review_queue, name="review-queue"),
]
