from django.apps import AppConfig


class AuthoritiesConfig(AppConfig):
    name = "authorities"
    verbose_name = "Partnerships, organisations and roles"

    def ready(self):
        from . import signals  # noqa: F401
