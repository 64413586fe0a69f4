#!/usr/bin/env python3
"""N GETs of one URL from a ThreadPoolExecutor of C threads, each thread with its own
requests.Session (a Session is not thread-safe), all kept alive.
Usage: http_pool.py URL N C USER PASSWORD. Prints 'requests failures seconds'."""
import sys, threading, time
from concurrent.futures import ThreadPoolExecutor
import requests

url, n, c, user, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
local = threading.local()


def session():
    if not hasattr(local, "s"):
        local.s = requests.Session()
        local.s.headers.update({"X-User": user, "X-Password": password})
    return local.s


def get(_):
    return session().get(url).status_code == 200


with ThreadPoolExecutor(max_workers=c) as pool:
    list(pool.map(get, range(c)))  # warm-up: every thread opens its connection
    start = time.monotonic()
    failures = sum(1 for ok in pool.map(get, range(n)) if not ok)
    elapsed = time.monotonic() - start
print(n, failures, elapsed)
