#!/usr/bin/env python3
"""A recording TCP relay for an RTMP session between two real programs (independent of the lab's code).

Listens on 127.0.0.1:LISTEN, connects each accepted client to 127.0.0.1:UPSTREAM, relays bytes both
ways unchanged and writes them to PREFIX.c2s.bin (client to server) and PREFIX.s2c.bin (server to
client), handshake included (the first 3073 bytes each way are C0+C1+C2 / S0+S1+S2).

usage: proxy.py LISTEN UPSTREAM PREFIX
"""
import socket, sys, threading, time

listen, upstream, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen)); srv.listen(1); srv.settimeout(30)
client, _ = srv.accept()
for attempt in range(100):
    try:
        server = socket.create_connection(("127.0.0.1", upstream)); break
    except OSError:
        time.sleep(0.1)

def pump(src, dst, path):
    with open(path, "wb") as out:
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                try: dst.shutdown(socket.SHUT_WR)
                except OSError: pass
                return
            out.write(data); out.flush()
            try: dst.sendall(data)
            except OSError: return

threads = [threading.Thread(target=pump, args=(client, server, prefix + ".c2s.bin")),
           threading.Thread(target=pump, args=(server, client, prefix + ".s2c.bin"))]
for t in threads: t.start()
for t in threads: t.join(60)
