from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """The site itself: its templates, and the editors' sign-in and API tokens."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "Site"

    def ready(self):
        from . import caching, tokens  # noqa: F401 -- tokens connects the receivers that revoke tokens

        caching.connect_record_signals()
