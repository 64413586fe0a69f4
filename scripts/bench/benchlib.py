"""Helpers shared by the benchmarks."""
import socket, sys


def free_base_port():
    for base in range(19100, 19900, 4):
        try:
            socks = []
            for p in range(base, base + 4):
                s = socket.socket()
                s.bind(("127.0.0.1", p))
                socks.append(s)
            for s in socks:
                s.close()
            return base
        except OSError:
            for s in socks:
                s.close()
    sys.exit("no four free ports")
