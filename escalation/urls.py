from django.urls import path

from . import views

urlpatterns = [
    path("escalations/", views.escalation_list, name="escalation-list"),
    path("escalations/new/", views.escalation_new, name="escalation-new"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation-detail"),
    path("escalations/<int:pk>/step/", views.escalation_step, name="escalation-step"),
    path("escalations/<int:pk>/close/", views.escalation_close, name="escalation-close"),
    path("escalations/<int:pk>/forms/<slug:form>.pdf", views.escalation_form_pdf, name="escalation-form-pdf"),
]
