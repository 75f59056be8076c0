"""All the URLs, one include per app, lowest layer first."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from authorities import two_factor
from authorities import views as authority_views

urlpatterns = [
    path("", authority_views.home, name="home"),
    path("healthz", authority_views.healthz, name="healthz"),
    path("sign-in/", authority_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/", authority_views.session_clock, name="session-clock"),
    path("two-factor/setup/", two_factor.setup, name="two-factor-setup"),
    path("two-factor/verify/", two_factor.verify, name="two-factor-verify"),
    path("audit/", authority_views.audit_log, name="audit-log"),
    path("operations/failed-tasks/", authority_views.failed_tasks, name="failed-tasks"),
    path("operations/failed-tasks/<int:pk>/retry/", authority_views.retry_task, name="failed-task-retry"),
    path("your-details/", authority_views.your_details, name="your-details"),
    path("", include("catalogues.urls")),
    path("", include("assessments.urls")),
    path("", include("referrals.urls")),
    path("", include("escalation.urls")),
    path("", include("insight.urls")),
    path("", include("api.urls")),
]

handler400 = "authorities.views.bad_request"
handler403 = "authorities.views.forbidden"
handler404 = "authorities.views.not_found"
handler500 = "authorities.views.server_error"
