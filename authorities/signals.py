"""Keep track of sessions per user, and end them when a user is disabled."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_save
from django.dispatch import receiver

from . import services
from .middleware import IDLE_KEY, STARTED_KEY


@receiver(user_logged_in)
def _remember(sender, request, user, **kwargs):
    # The 12-hour limit counts from sign-in.
    request.session[STARTED_KEY] = request.session[IDLE_KEY] = time.time()
    services.remember_session(user, request.session.session_key)


@receiver(pre_save, sender=get_user_model())
def _end_sessions_of_disabled_user(sender, instance, **kwargs):
    if instance.pk and not instance.is_active:
        was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
        if was_active:
            services.end_sessions(instance)
