#!/usr/bin/env python3
"""Measures `yunzhan serve`'s edit-to-reload latency from outside, as a browser sees it.

Listens on the live-reload stream (SSE) like a browser, writes a file, and takes the time
from just before the write to the moment the `reload` (or `css`) event arrives.

Usage: serve_latency.py PORT FILE KIND N
  KIND: `content` appends a paragraph to FILE's body and waits for `reload`;
        `style` rewrites the stylesheet FILE and waits for `css`.
Prints one latency in milliseconds per line.
"""
import socket, sys, time

port, path, kind, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
want = "reload" if kind == "content" else "css"

sock = socket.create_connection(("127.0.0.1", port))
sock.sendall(b"GET /__yunzhan/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
reader = sock.makefile("rb")


def next_event(timeout):
    sock.settimeout(timeout)
    name = None
    while True:
        line = reader.readline()
        if not line:
            raise SystemExit("the server closed the stream")
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line == "" and name:
            return name


assert next_event(30) == "hello"
original = open(path, encoding="utf-8").read()
try:
    for i in range(n):
        if kind == "content":
            text = original + f"\n第{i}次修改：志愿者又来到社区服务。\n"
        else:
            text = original + f"\n.bench-{i} {{ color: #{i % 256:02x}3344; }}\n"
        start = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        while True:
            name = next_event(30)
            if name == want:
                break
            if name == "errors":
                raise SystemExit("the site has errors")
        print(f"{(time.perf_counter() - start) * 1000:.1f}", flush=True)
        time.sleep(0.15)  # let the watcher settle, as between two saves
finally:
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
