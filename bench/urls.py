from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def minimal(request):
    """A minimal signed-in view doing one database read: the yardstick for the tick request."""
    return HttpResponse(str(get_user_model().objects.filter(pk=request.user.pk).values_list("username", flat=True)[0]))


urlpatterns = [path("bench/minimal", minimal), *urlpatterns]
