from django.apps import AppConfig


class CataloguesConfig(AppConfig):
    name = "catalogues"
    verbose_name = "Catalogues: each partnership's guidance, its versions and how it reads ticks"
