#!/usr/bin/env python3
"""N GETs of one URL, one after another, with a requests.Session (keep-alive).
Usage: http_seq.py URL N USER PASSWORD. Prints 'requests failures seconds'."""
import sys, time
import requests

url, n, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = requests.Session()
s.headers.update({"X-User": user, "X-Password": password})
s.get(url)  # warm-up: the first connection
start = time.monotonic()
failures = sum(1 for _ in range(n) if s.get(url).status_code != 200)
print(n, failures, time.monotonic() - start)
