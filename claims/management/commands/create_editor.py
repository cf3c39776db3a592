import getpass
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

EDITORS_GROUP = "Editors"


class Command(BaseCommand):
    help = (
        "Create an editor: a staff user in the Editors group, who can curate claims in /admin/. "
        "The password is asked for, or read from EDITOR_PASSWORD with --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="login name (asked for when left out)")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_true", help="read the password from EDITOR_PASSWORD")

    def handle(self, *args, username, email, no_input, **options):
        User = get_user_model()
        if not username:
            if no_input:
                raise CommandError("Give a username when using --no-input.")
            username = input("Username: ").strip()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        user = User(username=username, email=email, is_staff=True)

        password = os.environ.get("EDITOR_PASSWORD", "") if no_input else self._ask_password()
        if not password:
            raise CommandError("No password given (set EDITOR_PASSWORD with --no-input).")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None

        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        self.stdout.write(self.style.SUCCESS(f"Created editor {username!r}; sign in at /admin/."))
        if settings.EDITORS_NEED_TWO_FACTOR:
            self.stdout.write(
                "The first sign-in asks for the password alone, then sets up the second factor: scan the "
                "QR code the admin shows with an authenticator app on a phone, type the code it shows, "
                "and keep the recovery codes. Every later sign-in asks for a code."
            )
        else:
            self.stdout.write(
                "A second factor is optional here (EDITORS_NEED_TWO_FACTOR is off): set one up under "
                "'Second factor' at the top of the admin."
            )

    def _ask_password(self):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
