"""Settings of the benchmark's server: the app's own, with a PostgreSQL connection pool.

Under uvicorn, Django runs each request's sync code in a fresh thread, so persistent
connections (CONN_MAX_AGE=60 in federage.settings) pile up, one per thread, until PostgreSQL
refuses clients ("too many clients already"); with CONN_MAX_AGE=0 each request pays for a new
server process instead. Django's pool (psycopg_pool, Django ≥ 5.1) fixes both; the benchmark
uses it when installed (`pip install psycopg-pool`), else closes each request's connection.
"""

import importlib.util

from federage.settings import *  # noqa: F403
from federage.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
if importlib.util.find_spec("psycopg_pool") is not None:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 4, "max_size": 16}
