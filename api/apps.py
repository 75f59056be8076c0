from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "The JSON API: tokens and /api/v1/"
