"""The shared cache's table (settings.CACHES), made by migrate so that no deployment step can forget it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("authorities", "0006_background_task")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
