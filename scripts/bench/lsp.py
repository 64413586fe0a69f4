#!/usr/bin/env python3
"""The language server's answer time: diagnostics for a 2,000-line script after one
edit (goal: under 50 ms). Starts `mxsh lsp`, opens the script, then sends 30 edits
(each a full-text didChange, as the server syncs) and times each until its
publishDiagnostics arrives. Prints the median and the 90th percentile."""
import json, os, statistics, subprocess, sys, time

mxsh = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../.build/release/mxsh")
lines = ['connect memory as m seed="demo"']
for i in range(1999 // 4):
    lines += [f'let d{i} = domain "got.com"', f'for x in domains where status=ENABLED < print x.name "{i}" >',
              f'def f{i} a < print a >', f'f{i} {i}']
text = "\n".join(lines[:2000]) + "\n"
p = subprocess.Popen([mxsh, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

def send(msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()

def receive():
    length = None
    while True:
        line = p.stdout.readline().strip()
        if not line:
            break
        k, v = line.split(b":", 1)
        if k.lower() == b"content-length":
            length = int(v)
    return json.loads(p.stdout.read(length))

uri = "file:///tmp/bench.mxsh"
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})
receive()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "mxsh", "version": 1, "text": text}}})
receive()
times = []
for n in range(30):
    edited = text.replace('print a', f'print a {n}', 1)
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": n + 2}, "contentChanges": [{"text": edited}]}})
    reply = receive()
    assert reply["method"] == "textDocument/publishDiagnostics", reply
    times.append((time.perf_counter() - start) * 1000)
send({"jsonrpc": "2.0", "id": 9, "method": "shutdown"})
receive()
send({"jsonrpc": "2.0", "method": "exit"})
p.wait()
times.sort()
print(f"lsp diagnostics after an edit, 2,000 lines: median {statistics.median(times):.1f} ms, "
      f"p90 {times[int(len(times) * 0.9)]:.1f} ms ({len(times)} edits)")
