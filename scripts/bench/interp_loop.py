"""The CPython reference for interp_loop.mxsh: the same 1,000,000 domains as dicts,
the same filter (status and a glob on the name), the same count; times the loop."""
import fnmatch, time

tlds = [".com", ".net", ".org", ".io"]
domains = []
for i in range(1_000_000):
    name = "d%07d%s" % (i, tlds[i % 4])
    domains.append({"name": name, "status": "DISABLED" if i % 5 == 4 else "ENABLED",
                    "aliases": ["alias-" + name] if i % 3 == 0 else [],
                    "destination": "10.%d.%d.%d" % (i // 65536 % 256, i // 256 % 256, i % 256),
                    "relay": i % 2 == 0})
t = time.perf_counter()
n = 0
for d in domains:
    if d["status"] == "ENABLED" and fnmatch.fnmatch(d["name"], "*.net"):
        n += 1
print(n, time.perf_counter() - t)
