"""The database cache's table, so rate limits are shared by every worker without Redis, and
usernames unique whatever their case."""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.CACHE_TABLE, False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("questions", "0006_answer_is_choice"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
        migrations.RunSQL(
            "CREATE UNIQUE INDEX questions_username_unique_any_case ON auth_user (LOWER(username))",
            "DROP INDEX questions_username_unique_any_case",
        ),
    ]
