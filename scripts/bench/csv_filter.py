#!/usr/bin/env python3
"""The csv() filter of csv_filter.mxsh in CPython: csv.DictReader and fnmatch."""
import csv, fnmatch, sys

with open(sys.argv[1], newline="") as f:
    for r in csv.DictReader(f):
        if r["status"] == "ENABLED" and fnmatch.fnmatchcase(r["name"], "*.net"):
            print(r["name"], r["dest"])
