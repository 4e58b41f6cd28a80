"""The benches' throwaway schema: tables straight from the models.

Like pytest-django's ``--nomigrations``: the schema is the same as the migrations build,
and replaying every Wagtail and project migration (half a minute) would dwarf a small run.
Data that migrations seed (regions, Wagtail's root page) is not there; a bench that needs
it makes it.
"""


def without_migrations():
    """From now on, ``migrate`` (and a test database's creation) makes every model's table
    from the model itself (after ``django.setup()``)."""
    from django.apps import apps
    from django.conf import settings

    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}


def create_tables():
    """Create every model's table in the configured database (after ``django.setup()``)."""
    from django.core.management import call_command

    without_migrations()
    call_command("migrate", run_syncdb=True, verbosity=0)
