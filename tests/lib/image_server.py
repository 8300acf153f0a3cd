#!/usr/bin/env python3
"""image_server.py: a tiny HTTP server for the --fetch-images tests (issue 15).

Usage: image_server.py DIR PORTFILE LOGFILE
Serves DIR/NAME at /img/NAME with an ETag and a Last-Modified date, answering
conditional requests (If-None-Match, If-Modified-Since) with 304; /missing.png is a 404,
/page.png an HTML page, /slow.png answers after 60 s, /huge-bytes.png is 200 KB that starts
like a PNG, /huge-pixels.png a PNG header that declares 30000 x 30000 pixels. Listens on
127.0.0.1, a free port written to PORTFILE; one line per request in LOGFILE:
"TIME METHOD PATH inm=VALUE ims=VALUE status=CODE".
"""
import email.utils
import hashlib
import os
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

root, portfile, logfile = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
STAMP = email.utils.formatdate(1767225600, usegmt=True)  # 2026-01-01


def png_header(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def note(self, status):
        with lock, open(logfile, "a") as log:
            log.write("%.1f %s %s inm=%s ims=%s status=%d\n" % (
                time.time(), self.command, self.path, self.headers.get("If-None-Match", "-"),
                self.headers.get("If-Modified-Since", "-"), status))

    def send(self, status, body=b"", ctype="application/octet-stream", extra=()):
        self.note(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        p = self.path
        if p.startswith("/img/"):
            path = os.path.join(root, os.path.basename(p))
            if not os.path.isfile(path):
                return self.send(404, b"not found", "text/plain")
            data = open(path, "rb").read()
            etag = '"%s"' % hashlib.sha256(data).hexdigest()[:16]
            headers = (("ETag", etag), ("Last-Modified", STAMP))
            if self.headers.get("If-None-Match") == etag or (
                    self.headers.get("If-None-Match") is None and
                    self.headers.get("If-Modified-Since") == STAMP):
                return self.send(304, b"", "image/png", headers)
            return self.send(200, data, "image/png", headers)
        if p == "/page.png":
            return self.send(200, b"<!DOCTYPE html><html><body>Not an image</body></html>", "image/png")
        if p == "/slow.png":
            self.note(0)
            time.sleep(60)
            with lock, open(logfile, "a") as log:
                log.write("slow answer sent\n")
            return self.send(200, png_header(8, 8), "image/png")
        if p == "/huge-bytes.png":
            return self.send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 200000, "image/png")
        if p == "/huge-pixels.png":
            return self.send(200, png_header(30000, 30000), "image/png")
        return self.send(404, b"not found", "text/plain")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
