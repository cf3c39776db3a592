"""Editors' second factor: a code from an authenticator app (TOTP, django-otp), or one of their
single-use recovery codes.

When `EDITORS_NEED_TWO_FACTOR` is on, every staff account signs in to the admin with a code and gets
an API token only with one. An editor sets up the app after their first sign-in with the password
alone: the admin shows a QR code (an inline SVG drawn on the server) and confirms the app with its
first code, then shows `RECOVERY_CODES` recovery codes, once. A wrong code counts as a failed
sign-in for django-axes, so guessing codes ends in the same lockout as guessing passwords.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as verified_by
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication

RECOVERY_CODES = 10
APP_NAME = "Authenticator app"

CODE_HELP = (
    "6 digits from your authenticator app, or one of your recovery codes. The first time you sign "
    "in, leave it empty: you set up your app next."
)


def must_use_two_factor(user):
    """Staff, and any account that may change claims (a token of theirs writes)."""
    return (
        settings.EDITORS_NEED_TWO_FACTOR
        and user.is_active
        and (user.is_staff or user.has_perm("claims.change_claim"))
    )


def has_authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def verify_code(request, user, code):
    """The device of `user` that accepts `code` (six digits: the app's; anything else: a recovery
    code, spent), or None; then the try counts as a failed sign-in, toward the lockout."""
    code = "".join(code.split()).lower()
    device_model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        device = device_model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is not None and device.verify_token(code):
            return device
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return None


class UnverifiedAccountsReadAsReadersMiddleware:
    """Outside the admin (which asks for the code itself), an account that must use a second factor
    but signed in with its password alone is a reader: public pages show it no draft, and no
    merged record's address leads it to one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith("/admin/")
            and must_use_two_factor(user)
            and not user.is_verified()
        ):
            request.user = AnonymousUser()
        return self.get_response(request)


class VerifiedSessionAuthentication(SessionAuthentication):
    """The API's session sign-in (the admin's session): an account that must use a second factor
    counts only once the session signed in with it, as for its API tokens."""

    def authenticate(self, request):
        signed_in = super().authenticate(request)
        if signed_in and must_use_two_factor(signed_in[0]) and not signed_in[0].is_verified():
            return None
        return signed_in


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI schema's name for it: the session cookie, as for Django REST framework's."""

    target_class = VerifiedSessionAuthentication


def issue_recovery_codes(user):
    """New recovery codes for `user`, replacing any they had: returned once, to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class SignInWithCodeForm(AdminAuthenticationForm):
    """The admin's sign-in: the password, then the code of an editor who has set up their app."""

    code = forms.CharField(
        required=False,
        max_length=32,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None or not has_authenticator(user):
            return cleaned_data
        if not cleaned_data.get("code"):
            raise forms.ValidationError(
                "Enter the code from your authenticator app, or a recovery code.", code="code_required"
            )
        device = verify_code(self.request, user, cleaned_data["code"])
        if device is None:
            raise forms.ValidationError(
                "Wrong code, or a recovery code already used. Check that your phone's clock is right.",
                code="wrong_code",
            )
        user.otp_device = device  # django_otp keeps it in the session when the user is signed in
        return cleaned_data


class TrackerAdminSite(OTPAdminSite):
    """The admin, open to staff who signed in with a code (when they must use one)."""

    login_form = SignInWithCodeForm
    login_template = "admin/login_with_code.html"

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        user = request.user
        return admin.AdminSite.has_permission(self, request) and (
            user.is_verified() or not must_use_two_factor(user)
        )

    def login(self, request, extra_context=None):
        user = request.user
        if request.method == "GET" and must_use_two_factor(user) and not has_authenticator(user):
            return redirect("admin:second_factor")
        return super().login(request, extra_context)

    def get_urls(self):
        second_factor = path(
            "second-factor/",
            staff_member_required(csrf_protect(never_cache(self.second_factor_view))),
            name="second_factor",
        )
        return [second_factor, *super().get_urls()]

    def second_factor_view(self, request):
        """Set up the authenticator app (a QR code, then its first code), or, once it is set up
        and this session signed in with it, make new recovery codes."""
        user = request.user
        context = {**self.each_context(request), "title": "Second factor", "is_nav_sidebar_enabled": False}
        if has_authenticator(user):
            if not user.is_verified():
                return redirect(f"{reverse('admin:login')}?next={request.path}")
            if request.method == "POST":
                context["recovery_codes"] = issue_recovery_codes(user)
            return render(request, "admin/second_factor.html", context)

        app = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if app is None:
            app = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
        form = ConfirmAppForm(request.POST if request.method == "POST" else None, app=app)
        if form.is_valid():
            app.confirmed = True
            app.save(update_fields=["confirmed"])
            verified_by(request, app)
            context["recovery_codes"] = issue_recovery_codes(user)
            return render(request, "admin/second_factor.html", context)
        context |= {
            "form": form,
            "qr_code": qr_code(app.config_url),
            "secret": app_secret(app),
        }
        return render(request, "admin/second_factor.html", context)


class ConfirmAppForm(forms.Form):
    code = forms.CharField(
        max_length=16,
        help_text="The 6 digits your app shows now.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, app, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not self.app.verify_token(code):
            raise forms.ValidationError(
                "That is not the code your app shows now: check that you scanned this page's QR code "
                "and that your phone's clock is right."
            )
        return code


def qr_code(text):
    """`text` as a QR code in an inline SVG: no script, no image file, dark on white in either theme."""
    return segno.make(text, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


def app_secret(app):
    """The key as an app takes it typed in, in groups of four: "ABCD EFGH …"."""
    secret = b32encode(app.bin_key).decode().rstrip("=")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))
