from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TrackerConfig(AppConfig):
    """The site itself: its templates, and the editors' sign-in and API tokens."""

    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "Site"

    def ready(self):
        from . import tokens  # noqa: F401 -- connects the receivers that revoke tokens


class TrackerAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site that asks staff for their second factor (tracker.two_factor)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "tracker.two_factor.TrackerAdminSite"
