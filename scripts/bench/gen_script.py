#!/usr/bin/env python3
"""Writes a syntactically varied, check-clean mxsh script of N lines (default 100,000)."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
blocks = [
    'let d{i} = domain "d{i:07d}.net"',
    'if d{j}.status = DISABLED < print "disabled:" d{j}.name > else < print "ok" >',
    'for x in domains where status=ENABLED and name~"*.net" and (count(aliases) > {k}) <',
    '  add-alias x "alias-{i}.example" ',
    '  set x destination="10.0.{k}.1" failovers=["10.0.{k}.2", "10.0.{k}.3"] relay=true',
    '>',
    'print "step {i}: ${{d{j}.name}} has ${{count(users of d{j})}} users" (1 + {k} * 2)',
    '# a comment line, as runbooks have',
]
lines = ['connect memory as m seed="demo"', 'let d0 = domain "got.com"']
i = 1
while len(lines) < n:
    j = i - 1 if i > 1 else 0
    for b in blocks:
        lines.append(b.format(i=i, j=j, k=i % 7))
    i += 1
sys.stdout.write("\n".join(lines[:n]) + "\n")
