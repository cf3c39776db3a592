"""Settings for the tracker, read from the environment.

Every value comes from an environment variable (see README.md, "Configuration"). The defaults are
safe for production; a local `.env` (written by `make`) turns DEBUG on for development.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (`make` writes one to .env for you)."
    )

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tracker.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "claims",
    "sources",
    "tracker",
]

MIDDLEWARE = [
    "tracker.middleware.RequestLogMiddleware",
    # Before anything reads the body: one too large is refused unread.
    "tracker.middleware.RequestLimitsMiddleware",
    "tracker.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags and 304s for every answer, the cached ones included.
    "django.middleware.http.ConditionalGetMiddleware",
    "tracker.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tracker.two_factor.UnverifiedAccountsReadAsReadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tracker.middleware.JSONErrorsForTheAPIMiddleware",
    "claims.middleware.MergedRecordRedirectMiddleware",
    # Last: it turns a locked-out sign-in's answer into the lockout's (see tracker.tokens).
    "axes.middleware.AxesMiddleware",
]

# django-axes counts failed sign-ins (admin and API) in the database, shared by every process:
# after LOGIN_FAILURE_LIMIT failures for a username or for an address, that username or address is
# refused for LOGIN_COOLOFF_MINUTES, before any password is checked. Administrators see and lift
# lockouts in the admin ("Access attempts").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A refused try during a lockout is not a new failure: the cool-off runs from the last counted one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "tracker.clients.client_address"
AXES_LOCKOUT_CALLABLE = "tracker.tokens.locked_out"
AXES_VERBOSE = False

# Staff sign in to the admin with a second factor, and get API tokens only with a code (see
# tracker.two_factor); a wrong code counts as a failed sign-in above, django-otp's own delay is off.
EDITORS_NEED_TWO_FACTOR = env_bool("EDITORS_NEED_TWO_FACTOR", not DEBUG)
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = 0

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.public_pages",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code when its estimated cost is high; the pages' reads
    # are bounded, so the estimate is far above what they do, and compiling took 25 ms of a 35 ms
    # `/actors/` page at a million claims.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "tracker" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Production hardening: on unless DEBUG is on. SECURE_SSL_REDIRECT can be turned off where a
# proxy in front already redirects (or for a plain-HTTP local container).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the site itself
# only, so no injected markup can run. The pages' JSON-LD is a data block that browsers never run
# (no nonce needed, so cached pages stay valid); the API docs use drf-spectacular's split view,
# whose set-up script is a file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Proxies in front of the app that append the client's address to X-Forwarded-For; with none (the
# default) the header is ignored, so a client cannot pick the address it is counted under.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# Throttle counts are shared by every process through Redis when REDIS_URL is set (as the compose
# file does), with short timeouts and each process's memory as the fallback when Redis fails
# (tracker.fallback_cache); the embedded default (one process) keeps them in memory.
try:
    REDIS_TIMEOUT_SECONDS = float(env("REDIS_TIMEOUT_SECONDS", "0.25"))
except ValueError:
    raise ImproperlyConfigured("REDIS_TIMEOUT_SECONDS must be a number of seconds") from None
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "tracker.fallback_cache.RedisWithFallbackCache",
            "LOCATION": env("REDIS_URL"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous readers' pages and API reads come from each process's memory until the record changes
# (see tracker.caching), at most PUBLIC_CACHE_MAX_BYTES a process; a CDN may keep them
# PUBLIC_MAX_AGE seconds.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 600)
PUBLIC_CACHE_MAX_BYTES = env_int("PUBLIC_CACHE_MAX_MB", 32) * 1024 * 1024
PUBLIC_MAX_AGE = env_int("PUBLIC_MAX_AGE", 60)

# A request body may hold a 5 MB article for the importer (sources.importing.upload), and a little
# more. A larger body is refused before any of it is read (tracker.middleware.RequestLimitsMiddleware),
# and what is taken is kept in memory, never spooled to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
REQUEST_BODY_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "tracker.two_factor.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    # JSON only, within bounds (tracker.parsers): the API documents no other request type.
    "DEFAULT_PARSER_CLASSES": ["tracker.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.StableCursorPagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tracker.api.negotiation.StrictContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "tracker.schema.TrackerAutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttles.AnonymousThrottle",
        "tracker.api.throttles.AuthenticatedThrottle",
    ],
    # Per client IP for anonymous clients, per account for signed-in ones.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANONYMOUS_RATE", "120/minute"),
        "user": env("API_AUTHENTICATED_RATE", "600/minute"),
        "sign-in": env("API_SIGN_IN_RATE", "10/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES,
}

# Editors' API tokens (django-rest-knox): stored hashed, one per device, expiring.
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=env_int("API_TOKEN_DAYS", 30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim tracker API",
    "DESCRIPTION": (
        "Who claimed what, when, against whom, on what evidence, and who disputed it. "
        "Anonymous clients read published claims; editors write with `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.schema.exact_slug_patterns",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "claims.choices.ActorKind",
        "ClaimKindEnum": "claims.choices.ClaimKind",
        "SourceKindEnum": "sources.models.SourceKind",
        "EvidenceStatusEnum": "claims.choices.EvidenceStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Every request has its line from tracker.requests; Django's own adds one for 4xx.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
    },
}

# Public pages
SITE_NAME = env("SITE_NAME", "Claim tracker")
OTP_TOTP_ISSUER = SITE_NAME  # how authenticator apps name the account
# Readers' corrections go here (a mailto link on every claim page); set a real inbox in production.
CORRECTIONS_EMAIL = env("CORRECTIONS_EMAIL", "corrections@example.org")
