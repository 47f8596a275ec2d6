"""The one settings module: every deployment difference comes from environment variables."""

from pathlib import Path

from celery.schedules import crontab

from quizsite.env import (
    env_bool,
    env_cache,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)
_INSECURE_DEV_KEY = "django-insecure-quizsite-development-key-do-not-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_prometheus",
    "questions",
    "lti_tool",
    "lti",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "quizsite.ops.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lti.middleware.LtiCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "quizsite.ops.metrics.StudyStepMetricsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, so that a domain error is turned into its page before anything counts it as a crash.
    "questions.web.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "quizsite.urls"
WSGI_APPLICATION = "quizsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        pool=env_bool("DATABASE_POOL", default=False),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
# A read replica for progress and reports (never the study step): see quizsite/ops/routers.py.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["quizsite.ops.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate-limit counts and sign-in lockouts, shared by every worker: Redis when REDIS_URL is set,
# else a table in the database (migration 0005 and `make run` create it), never per process.
CACHE_TABLE = "quizsite_cache"
CACHES = {"default": env_cache("REDIS_URL", table=CACHE_TABLE)}

AUTHENTICATION_BACKENDS = ["questions.auth.LockoutModelBackend"]
# After this many failed sign-ins within QUIZSITE_LOCKOUT_SECONDS a username is locked for that
# long (and an address after QUIZSITE_LOCKOUT_ADDRESS_FAILURES); `manage.py unlock_login` resets.
QUIZSITE_LOCKOUT_FAILURES = env_int("QUIZSITE_LOCKOUT_FAILURES", 5, minimum=1)
# High enough that a whole class behind one school address, mistyping, is not locked out.
QUIZSITE_LOCKOUT_ADDRESS_FAILURES = env_int("QUIZSITE_LOCKOUT_ADDRESS_FAILURES", 100, minimum=1)
QUIZSITE_LOCKOUT_SECONDS = env_int("QUIZSITE_LOCKOUT_SECONDS", 900, minimum=1)
# How many reverse proxies stand in front and append to X-Forwarded-For. 0 (the default): the
# client is the connecting address and X-Forwarded-For is ignored, so it cannot be spoofed.
QUIZSITE_TRUSTED_PROXIES = env_int("QUIZSITE_TRUSTED_PROXIES", 0, minimum=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

# Production hardening: on whenever DEBUG is off, so `check --deploy` passes by default.
# X-Forwarded-Proto is believed only from a proxy we were told of, like X-Forwarded-For.
if QUIZSITE_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Imports larger than this are refused before they are parsed.
QUIZSITE_MAX_IMPORT_BYTES = env_int("QUIZSITE_MAX_IMPORT_BYTES", 20 * 1024 * 1024, minimum=1)
# Any other request body (JSON, a form's fields) larger than this is refused with a 413; an
# uploaded file counts against QUIZSITE_MAX_IMPORT_BYTES instead.
QUIZSITE_MAX_REQUEST_BYTES = env_int("QUIZSITE_MAX_REQUEST_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = QUIZSITE_MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = QUIZSITE_MAX_IMPORT_BYTES
# What one question or set may hold; each refusal is a 400 naming the setting.
QUIZSITE_MAX_ANSWERS = env_int("QUIZSITE_MAX_ANSWERS", 100, minimum=3)
QUIZSITE_MAX_GAPS = env_int("QUIZSITE_MAX_GAPS", 50, minimum=1)
QUIZSITE_MAX_PROMPT_CHARS = env_int("QUIZSITE_MAX_PROMPT_CHARS", 20_000, minimum=100)
QUIZSITE_MAX_EXPLANATION_CHARS = env_int("QUIZSITE_MAX_EXPLANATION_CHARS", 20_000, minimum=100)
QUIZSITE_MAX_ANSWER_CHARS = env_int("QUIZSITE_MAX_ANSWER_CHARS", 5_000, minimum=100)
QUIZSITE_MAX_DESCRIPTION_CHARS = env_int("QUIZSITE_MAX_DESCRIPTION_CHARS", 20_000, minimum=100)
QUIZSITE_MAX_IMPORT_QUESTIONS = env_int("QUIZSITE_MAX_IMPORT_QUESTIONS", 5_000, minimum=1)
# What a student may send as one answer (its JSON, in characters) and a page of results.
QUIZSITE_MAX_STUDENT_ANSWER_CHARS = env_int(
    "QUIZSITE_MAX_STUDENT_ANSWER_CHARS", 10_000, minimum=100
)
QUIZSITE_MAX_PAGE_SIZE = env_int("QUIZSITE_MAX_PAGE_SIZE", 200, minimum=1)
# JSON bodies nested deeper than this are refused (no valid request needs more than 5).
QUIZSITE_MAX_JSON_DEPTH = env_int("QUIZSITE_MAX_JSON_DEPTH", 20, minimum=5)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "questions.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "questions.api.schema.ApiAutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "questions.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "questions.api.errors.exception_handler",
    "NUM_PROXIES": QUIZSITE_TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_CLASSES": [
        "questions.throttling.AnonThrottle",
        "questions.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("QUIZSITE_THROTTLE_ANON", "60/minute"),
        "user": env_str("QUIZSITE_THROTTLE_USER", "6000/minute"),
        "login": env_str("QUIZSITE_THROTTLE_LOGIN", "10/minute"),
        "token_create": env_str("QUIZSITE_THROTTLE_TOKEN_CREATE", "10/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "quizsite API",
    "DESCRIPTION": "Question banks, FSRS spaced-repetition study and progress for LMS integrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"CardStateEnum": "questions.models.study.CardState"},
}

# Content-Security-Policy on every response (django-csp): scripts, styles, images and sound
# from this site only, so teacher-authored markup cannot load outside images or trackers.
# Inline style attributes stay allowed (templates and imported tables use them); inline
# script never is. Hosts in QUIZSITE_MARKUP_SOURCE_HOSTS may serve images and sound in
# imported markup; by default an outside src is removed when markup is cleaned.
QUIZSITE_MARKUP_SOURCE_HOSTS = env_list("QUIZSITE_MARKUP_SOURCE_HOSTS", [])
_MARKUP_SOURCES = [f"https://{host}" for host in QUIZSITE_MARKUP_SOURCE_HOSTS]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", *_MARKUP_SOURCES],
        "media-src": ["'self'", *_MARKUP_SOURCES],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs: one JSON object a line in production (with the request id), plain text in debug.
QUIZSITE_LOG_FORMAT = env_choice(
    "QUIZSITE_LOG_FORMAT", "text" if DEBUG else "json", ["text", "json"]
)
# Take X-Request-ID from the proxy in front (only when it sets or strips it for every request).
QUIZSITE_TRUST_REQUEST_ID = env_bool("QUIZSITE_TRUST_REQUEST_ID", default=False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "quizsite.ops.request_id.RequestIdLogFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": QUIZSITE_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}

# Prometheus metrics at /metrics; with a token set, only for `Authorization: Bearer <token>`.
QUIZSITE_METRICS_TOKEN = env_str("QUIZSITE_METRICS_TOKEN", "")

# Background jobs on Celery. With no broker (the embedded default) a job runs at once in the
# process that queues it; with a Redis URL, on the workers of `make worker`.
CELERY_BROKER_URL = env_str("QUIZSITE_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True  # a job's outcome is kept on its Job row, not in the broker
# A job is acknowledged when it ends, so one whose worker dies is given to another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("QUIZSITE_JOB_VISIBILITY_TIMEOUT", 3600, minimum=60)
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "prune-rate-counters-hourly": {
        "task": "questions.tasks.prune_rate_counters",
        "schedule": crontab(minute=15),
    },
    "fit-fsrs-every-night": {
        "task": "questions.tasks.fit_all_learners",
        "schedule": crontab(hour=env_int("QUIZSITE_FIT_HOUR_UTC", 3, minimum=0), minute=30),
    },
}
# Imports of files larger than this run as a job when a broker is configured; the page follows it.
QUIZSITE_IMPORT_JOB_BYTES = env_int("QUIZSITE_IMPORT_JOB_BYTES", 512 * 1024, minimum=0)

# Uploaded media on S3-compatible storage (django-storages) when a bucket is named.
if env_str("QUIZSITE_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("QUIZSITE_S3_BUCKET", ""),
            "endpoint_url": env_str("QUIZSITE_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("QUIZSITE_S3_REGION", "") or None,
            "location": env_str("QUIZSITE_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
