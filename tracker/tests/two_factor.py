"""Signing in as an editor does: password, then the code of their authenticator app."""

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-test-passphrase"  # the factories'
SIGN_IN = "/admin/login/"


def authenticator_of(user):
    """The user's confirmed authenticator app, set up now if they had none."""
    app, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Phone"})
    return app


def code_from(app):
    """The code the app shows now, or the next one if this one was used: each is accepted once."""
    app.refresh_from_db()
    clock = TOTP(app.bin_key, app.step, app.t0, app.digits, app.drift)
    step = max(clock.t(), app.last_t + 1)
    assert step <= clock.t() + app.tolerance, "no unused code left in this minute"
    clock.drift += step - clock.t()
    return f"{clock.token():0{app.digits}d}"  # six digits, leading zeros included


def sign_in_with_code(client, user, *, next_url="/admin/", **extra):
    """Sign `user` in to the admin through its form, with a code from their app."""
    form = {"username": user.username, "password": PASSWORD, "code": code_from(authenticator_of(user))}
    response = client.post(f"{SIGN_IN}?next={next_url}", form, **extra)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return client


def sign_in_in_browser(page, server_url, user):
    """Sign `user` in to the admin in a browser's `page` as they would: password, then code."""
    page.goto(f"{server_url}{SIGN_IN}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_code", code_from(authenticator_of(user)))
    page.click("input[type=submit]")
    page.wait_for_url(f"{server_url}/admin/")
    return page
