#!/usr/bin/env python3
"""Writes a CSV of N domains (default 300,000): name,status,dest, a third .net, half ENABLED."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
tlds = ["net", "com", "org"]
out = ["name,status,dest"]
for i in range(n):
    out.append(f"d{i:07d}.{tlds[i % 3]},{'ENABLED' if i % 2 == 0 else 'DISABLED'},10.{i % 250}.{i % 199}.{i % 97}")
sys.stdout.write("\n".join(out) + "\n")
