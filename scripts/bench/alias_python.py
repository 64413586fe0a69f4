#!/usr/bin/env python3
"""The same calls as alias_changes.mxsh, from Python requests: list the domains
(100 a page), then POST /domains/{id}/aliases for each; sequentially, or from a
ThreadPoolExecutor of C threads (a requests.Session each). Prints 'changes seconds'.
Usage: alias_python.py URL PREFIX N_MAX C (C=1: sequential)"""
import sys, threading, time
from concurrent.futures import ThreadPoolExecutor
import requests

url, prefix, n_max, c = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
headers = {"Authorization": "Bearer sandbox-token", "Content-Type": "application/json"}
local = threading.local()


def session():
    if not hasattr(local, "s"):
        local.s = requests.Session()
        local.s.headers.update(headers)
    return local.s


start = time.monotonic()
domains, offset = [], 0
while True:
    page = session().get(f"{url}/domains", params={"offset": offset, "pageSize": 100}).json()
    domains += page
    offset += len(page)
    if not page or len(domains) >= n_max:
        break
domains = domains[:n_max]


def add(d):
    r = session().post(f"{url}/domains/{d['id']}/aliases", json=[f"{prefix}-{d['name']}"])
    return r.status_code == 201


if c == 1:
    ok = sum(1 for d in domains if add(d))
else:
    with ThreadPoolExecutor(max_workers=c) as pool:
        ok = sum(1 for r in pool.map(add, domains) if r)
if ok != len(domains):
    sys.exit(f"{len(domains) - ok} changes failed")
print(len(domains), time.monotonic() - start)
