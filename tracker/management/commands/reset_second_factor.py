from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken


class Command(BaseCommand):
    help = (
        "Remove an account's authenticator app, recovery codes and API tokens (a lost phone): its "
        "next sign-in with the password sets up a new app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is named {username!r}.")
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()  # and its codes
        AuthToken.objects.filter(user=user).delete()  # whoever has the phone may have made one
        self.stdout.write(
            f"Removed {username!r}'s authenticator app, recovery codes and API tokens; "
            "their next sign-in sets up a new one."
        )
