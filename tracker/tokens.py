"""Editors' API tokens and the refusal of guessed passwords.

Tokens are django-rest-knox's: stored as a hash, with an expiry (`API_TOKEN_DAYS`), one per device
(each sign-in makes a new one), listed and revoked by their owner; a password change or a
deactivated account revokes them all. Only editors get one. Sign-ins, at /admin/ and here, are
counted by django-axes: after `LOGIN_FAILURE_LIMIT` failures for a username or an address, further
tries are refused for `LOGIN_COOLOFF_MINUTES` without the password being checked at all.
"""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import ERRORS, DetailSerializer, SignInThrottle
from .two_factor import has_authenticator, must_use_two_factor, verify_code

LOCKED_OUT = (
    "Too many failed sign-ins for this account or from this address: try again in {minutes} minutes, "
    "or ask an administrator to lift the lockout."
)


def is_editor(user):
    return user.is_active and user.has_perm("claims.change_claim")


def cool_off_seconds(request):
    return int(get_cool_off(request).total_seconds())


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: JSON with Retry-After for the API, a page
    for the admin; both 429."""
    seconds = cool_off_seconds(request)
    message = LOCKED_OUT.format(minutes=max(1, seconds // 60))
    if request.path.startswith("/api/"):
        answer = JsonResponse({"detail": message}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    else:
        answer = render(
            request, "admin/locked_out.html", {"message": message}, status=status.HTTP_429_TOO_MANY_REQUESTS
        )
    answer["Retry-After"] = str(seconds)
    return answer


class SignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        max_length=32,
        required=False,
        help_text="The code from your authenticator app, or a recovery code: needed once you have set "
        "up your second factor, and by every editor where the site requires one.",
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`. Shown once.")
    token_key = serializers.CharField(help_text="Its first characters: how the token is listed and revoked.")
    expiry = serializers.DateTimeField(allow_null=True)


class TokenSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField(help_text="Whether this request uses the token.")

    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry", "is_current"]

    def get_is_current(self, token) -> bool:
        return token == self.context["request"].auth


SIGN_IN_ERRORS = {
    400: OpenApiResponse(
        ERRORS[400].response,
        description="A missing field, a wrong username or password (under `detail`), or a missing or "
        "wrong `code`: each named, with its messages.",
        examples=[
            OpenApiExample("A wrong code", value={"code": ["Wrong code, or a recovery code already used."]})
        ],
    ),
    403: OpenApiResponse(
        DetailSerializer,
        description="Only editors get API tokens, and where a second factor is required, only once "
        "they have set it up (in the admin).",
    ),
    429: OpenApiResponse(
        DetailSerializer,
        description="Too many failed sign-ins for this username or address: retry after `Retry-After` "
        "seconds.",
    ),
}

NOT_SIGNED_IN = {
    401: OpenApiResponse(
        DetailSerializer, description="No valid API token: it is missing, expired or revoked."
    )
}


class TokenView(APIView):
    """An editor's API token for this device (POST), or this device's signing out (DELETE)."""

    throttle_scope = "sign-in"

    def get_authenticators(self):
        # Signing in reads the credentials in the body only: a client holding an expired or revoked
        # token signs in all the same, instead of being refused for the token it is replacing. (The
        # schema generator asks with no request.)
        signing_in = self.request is not None and self.request.method == "POST"
        return [] if signing_in else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [*super().get_throttles(), SignInThrottle()]

    @extend_schema(
        summary="Sign in: a new API token for this device (editors)",
        request=SignInSerializer,
        responses={200: IssuedTokenSerializer, **SIGN_IN_ERRORS},
        auth=[],
    )
    def post(self, request):
        sign_in = SignInSerializer(data=request.data)
        sign_in.is_valid(raise_exception=True)
        code = sign_in.validated_data.pop("code", "")
        user = authenticate(request._request, **sign_in.validated_data)
        self.refuse_a_locked_out_client(request)
        if user is None:
            raise ValidationError({"detail": "Unable to sign in with this username and password."})
        if not is_editor(user):
            raise PermissionDenied("Only editors get API tokens.")
        self.check_second_factor(request, user, code)
        token, key = AuthToken.objects.create(user)
        return Response({"token": key, "token_key": token.token_key, "expiry": token.expiry})

    def refuse_a_locked_out_client(self, request):
        if getattr(request._request, "axes_locked_out", False):
            seconds = cool_off_seconds(request._request)
            raise Throttled(wait=seconds, detail=LOCKED_OUT.format(minutes=max(1, seconds // 60)))

    def check_second_factor(self, request, user, code):
        if not has_authenticator(user):
            if must_use_two_factor(user):
                raise PermissionDenied(
                    "Set up your second factor first: sign in to the admin (/admin/) and follow its steps."
                )
            return
        if not code:
            raise ValidationError(
                {"code": ["Send the code from your authenticator app, or a recovery code."]}
            )
        if verify_code(request._request, user, code) is None:
            self.refuse_a_locked_out_client(request)  # that wrong code was one too many
            raise ValidationError({"code": ["Wrong code, or a recovery code already used."]})

    @extend_schema(
        summary="Sign out this device: revoke the token this request uses",
        responses={204: None, **NOT_SIGNED_IN},
    )
    def delete(self, request):
        if not isinstance(request.auth, AuthToken):
            raise ValidationError({"detail": "This request uses no API token."})
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """Your API tokens, one per device; DELETE revokes them all."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="List your API tokens",
        operation_id="auth_tokens_list",
        responses={200: TokenSerializer(many=True), **NOT_SIGNED_IN},
    )
    def get(self, request):
        tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
        return Response(TokenSerializer(tokens, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Sign out everywhere: revoke all your API tokens",
        operation_id="auth_tokens_destroy_all",
        responses={204: None, **NOT_SIGNED_IN},
    )
    def delete(self, request):
        AuthToken.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Revoke one of your API tokens (sign out a device)",
        responses={
            204: None,
            404: OpenApiResponse(DetailSerializer, description="You hold no such token."),
            **NOT_SIGNED_IN,
        },
    )
    def delete(self, request, token_key):
        deleted, _ = AuthToken.objects.filter(user=request.user, token_key=token_key).delete()
        if not deleted:
            return Response({"detail": "You hold no such token."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def revoke_the_tokens_of_a_changed_account(sender, instance, update_fields=None, raw=False, **kwargs):
    """A new password or a deactivated account ends every token of the account. (A save of the
    password alone is Django upgrading its hash at sign-in: the password is the same.)"""
    if raw or instance.pk is None or update_fields == frozenset({"password"}):
        return
    stored = get_user_model().objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored and (stored["password"] != instance.password or not instance.is_active):
        AuthToken.objects.filter(user=instance.pk).delete()
