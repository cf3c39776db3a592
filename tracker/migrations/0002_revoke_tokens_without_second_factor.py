from django.db import migrations


def revoke_tokens_of_staff_without_an_app(apps, schema_editor):
    """API tokens given for a password alone, before staff signed in with a second factor: each
    editor asks for a new one with a code once they have set up their app."""
    AuthToken = apps.get_model("knox", "AuthToken")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    with_an_app = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    AuthToken.objects.filter(user__is_staff=True).exclude(user_id__in=with_an_app).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_record_version"),
        ("knox", "0009_extend_authtoken_field"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(revoke_tokens_of_staff_without_an_app, migrations.RunPython.noop)]
