from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """The site itself: its templates, and the editors' sign-in and API tokens."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "Site"

    def ready(self):
        from . import tokens  # noqa: F401 -- connects the receivers that revoke tokens
