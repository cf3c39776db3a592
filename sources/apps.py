from django.apps import AppConfig


class SourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sources"
    verbose_name = "Sources"

    def ready(self):
        from . import signals  # noqa: F401 -- connects the receivers that keep `updated_at` true
