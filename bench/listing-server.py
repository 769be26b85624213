#!/usr/bin/env python3
"""A synthetic S3 listing server for the million-key benchmark (issue 14).

Answers ListObjectsV2 (GET /<bucket>?list-type=2) for one bucket holding N generated keys below any prefix, in
UTF-8 byte order as AWS lists, 1,000 keys a page; the continuation token is the index of the next key. A PUT is
read (aws-chunked framing removed), answered with its MD5 as the ETag and dropped. No signature is checked. Prints
"listening on 127.0.0.1:PORT" when ready, then "first-put SECONDS" and "last-page SECONDS" (since start) as they
happen, so a run shows whether transfers started before the listing ended.

usage: listing-server.py KEYS
"""
import hashlib
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEYS = int(sys.argv[1])
PAGE = 1000
STARTED = time.monotonic()
first_put = threading.Lock()
seen_put = False


def event(name):
    print(f"{name} {time.monotonic() - STARTED:.3f}", flush=True)


def key(i):
    # Zero-padded, so index order is key order.
    return f"data/d{i // 1000:04d}/f{i:07d}.bin"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_HEAD(self):
        self.reply(200, b"")

    def do_PUT(self):
        global seen_put
        with first_put:
            if not seen_put:
                seen_put = True
                event("first-put")
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("x-amz-content-sha256", "").startswith("STREAMING-"):
            body = unchunk(body)
        self.send_response(200)
        self.send_header("ETag", f'"{hashlib.md5(body).hexdigest()}"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if query.get("list-type") != ["2"]:
            self.reply(404, b"<Error><Code>NoSuchKey</Code><Message>listings only</Message></Error>")
            return
        prefix = query.get("prefix", [""])[0]
        start = int(query.get("continuation-token", ["0"])[0])
        end = min(start + PAGE, KEYS)
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<Name>bench</Name><Prefix>{urllib.parse.quote(prefix)}</Prefix><EncodingType>url</EncodingType>"
        ]
        for i in range(start, end):
            parts.append(
                f"<Contents><Key>{urllib.parse.quote(prefix + key(i))}</Key>"
                "<LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                "<ETag>&quot;0f343b0931126a20f133d67c2b018a3b&quot;</ETag>"
                "<Size>4096</Size><StorageClass>STANDARD</StorageClass></Contents>"
            )
        truncated = end < KEYS
        if not truncated:
            event("last-page")
        parts.append(f"<KeyCount>{end - start}</KeyCount><MaxKeys>{PAGE}</MaxKeys>")
        parts.append(f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>")
        if truncated:
            parts.append(f"<NextContinuationToken>{end}</NextContinuationToken>")
        parts.append("</ListBucketResult>")
        self.reply(200, "".join(parts).encode())

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def unchunk(body):
    """The payload of an aws-chunked body: frames of "hex-size;chunk-signature=...\r\n", data, "\r\n"."""
    data, at = bytearray(), 0
    while at < len(body):
        line_end = body.index(b"\r\n", at)
        size = int(body[at:line_end].split(b";")[0], 16)
        data += body[line_end + 2:line_end + 2 + size]
        at = line_end + 2 + size + 2
        if size == 0:
            break
    return bytes(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
