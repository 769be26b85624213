#!/usr/bin/env python3
"""A synthetic S3 listing server for the million-key benchmark (issue 14).

Answers ListObjectsV2 (GET /<bucket>?list-type=2) for one bucket holding N generated keys below any prefix, in
UTF-8 byte order as AWS lists, 1,000 keys a page; the continuation token is the index of the next key. Nothing is
stored and no signature is checked: it serves listings, not data. Prints "listening on 127.0.0.1:PORT" when ready.

usage: listing-server.py KEYS
"""
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEYS = int(sys.argv[1])
PAGE = 1000


def key(i):
    # Zero-padded, so index order is key order.
    return f"data/d{i // 1000:04d}/f{i:07d}.bin"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_HEAD(self):
        self.reply(200, b"")

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


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
