#!/usr/bin/env python3
"""A neutral recorder for what an RTMP client sends first (independent of the lab's code).

Listens on 127.0.0.1:PORT, performs the plain RTMP handshake (RTMP 1.0 §5.2: S0 = 3, S1 with a zero
'zero' field, S2 = the echo of C1), then records every byte the client sends after C2 for
SECONDS seconds without answering, and writes them to OUT. A client that waits for an answer to
'connect' sends only its first messages: exactly what the lab's AMF0 tests need.

usage: capture.py PORT SECONDS OUT
"""
import os, socket, sys, time

port, seconds, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port)); srv.listen(1); srv.settimeout(20)
conn, _ = srv.accept(); conn.settimeout(seconds)

def read(n):
    data = b""
    while len(data) < n:
        part = conn.recv(n - len(data))
        if not part:
            raise SystemExit("client closed during the handshake")
        data += part
    return data

c0c1 = read(1 + 1536)
s1 = (0).to_bytes(4, "big") + (0).to_bytes(4, "big") + os.urandom(1528)
conn.sendall(b"\x03" + s1 + c0c1[1:])
read(1536)  # C2
data, end = b"", time.time() + seconds
try:
    while time.time() < end:
        part = conn.recv(65536)
        if not part:
            break
        data += part
except socket.timeout:
    pass
open(out, "wb").write(data)
conn.close(); srv.close()
