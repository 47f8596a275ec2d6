"""Health checks for a load balancer: /healthz says the process answers; /readyz says it can
serve (the database and the cache answer, and no migration is waiting)."""

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

READY_PROBE_KEY = "quizsite:readyz"


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {"database": _database(), "cache": _cache(), "migrations": _migrations()}
    ready = all(check == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok"


def _cache() -> str:
    try:
        cache = caches["default"]
        cache.set(READY_PROBE_KEY, "1", timeout=10)
        if cache.get(READY_PROBE_KEY) != "1":
            return "error: the cache did not keep a value"
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok"


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok" if not pending else f"error: {len(pending)} migrations not applied"
