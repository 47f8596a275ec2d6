"""Settings for the test suite: the real settings with fast hashing and no throttling surprises."""

from quizsite.settings import *  # noqa: F403
from quizsite.settings import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anon": "100000/minute",
        "user": "100000/minute",
    },
}

# The suite's query-count pins count the study step's own queries, not the rate limiter's: one
# process, so an in-process cache. The shared caches are tested on live servers (tests/multinode).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
