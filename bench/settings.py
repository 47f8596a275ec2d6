"""Settings of the bench: the production settings on the bench database, with the floor's URLs.

DATABASE_URL is replaced by the bench database it maps to (bench/database.py) before the
production settings read it, so the server and the seeding agree without a second variable.
"""

import os

from bench.database import bench_database_url

os.environ["DATABASE_URL"] = bench_database_url(os.environ.get("DATABASE_URL"))

from quizsite.settings import *  # noqa: F403
from quizsite.settings import LOGGING, MIDDLEWARE

# Measured as deployed: no debug toolbar of sorts, no SQL kept in memory per query.
DEBUG = False
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
