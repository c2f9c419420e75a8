#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counting bulk sink for the benchmarks: answers Elasticsearch _bulk and CouchDB _bulk_docs.

Benchmark tooling, not a test server (the demo API is that). Like the shared harness's
pysink (asyncio + Debian's python3-aiohttp, low-level web.Server, no access log), it reads
every body, waits --delay-ms and answers; but in the format a bulk client checks item by item:

  POST .../_bulk       NDJSON, an action line ({"index":{...}} or {"create":{...}}) and a
                       document line per item. Answer 200
                       {"took":0,"errors":false,"items":[{"index":{"_index":..,"_id":..,
                       "_version":1,"result":"created","status":201}}, ...one per item]},
                       with the item's "_id" from its action line when it has one.
                       Counted by lines: the body is never parsed as JSON.
  POST .../_bulk_docs  {"docs":[...]}. Answer 201 [{"ok":true,"id":..,"rev":"1-0"}, ...one
                       per doc], with the doc's "_id" when it has one. This one parses the
                       body (about 2 ms per 1000 docs of 250 bytes).
  anything else        201 {"result":"created"}, counted as a request of one item.

A body that is not what its endpoint expects gets 400 and is counted under "bad".
GET /__stats answers the counters as JSON, POST /__reset zeroes them (neither is counted).
On SIGINT/SIGTERM it stops and prints the counters as one JSON line on stdout:
  requests, items, body_bytes, status, bad, by_endpoint {bulk|bulk_docs|other: {requests,
  items}}, first_to_last_request_s.

Usage: /usr/bin/python3 tests/bench/bulk-sink.py --port 28190 [--delay-ms 0] [--index NAME]
"""
import argparse
import asyncio
import json
import re
import signal
import sys
import time

from aiohttp import web

OK_BODY = b'{"result":"created"}'
ID_IN_ACTION = re.compile(rb'"_id"\s*:\s*"((?:[^"\\]|\\.)*)"')
JSON_HEADERS = {"Content-Type": "application/json"}


class Stats:
    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = 0
        self.items = 0
        self.body_bytes = 0
        self.status = {}
        self.bad = 0
        self.by_endpoint = {}
        self.first_request_at = None
        self.last_request_at = None

    def count(self, endpoint, items, body_bytes, status):
        now = time.monotonic()
        if self.first_request_at is None:
            self.first_request_at = now
        self.last_request_at = now
        self.requests += 1
        self.items += items
        self.body_bytes += body_bytes
        self.status[status] = self.status.get(status, 0) + 1
        e = self.by_endpoint.setdefault(endpoint, {"requests": 0, "items": 0})
        e["requests"] += 1
        e["items"] += items

    def as_dict(self):
        span = None
        if self.first_request_at is not None:
            span = round(self.last_request_at - self.first_request_at, 6)
        return {
            "sink": "bulk-sink",
            "requests": self.requests,
            "items": self.items,
            "body_bytes": self.body_bytes,
            "status": {str(k): v for k, v in sorted(self.status.items())},
            "bad": self.bad,
            "by_endpoint": self.by_endpoint,
            "first_to_last_request_s": span,
        }


def es_bulk(body, index):
    """(status, answer, items) for an Elasticsearch _bulk body."""
    lines = body.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines or len(lines) % 2:
        return 400, b'{"error":"bulk body needs an action line and a document line per item"}', 0
    actions = lines[0::2]
    first = actions[0].lstrip()
    key = b"create" if first.startswith(b'{"create"') else b"index"
    if not first.startswith(b'{"' + key + b'"'):
        return 400, b'{"error":"bulk action must be index or create"}', 0
    head = b'{"' + key + b'":{"_index":"' + index + b'","_id":"'
    tail = b'","_version":1,"result":"created","status":201}}'
    ids = ID_IN_ACTION.findall(b"\n".join(actions))
    if len(ids) != len(actions):  # some actions carry no _id: number those by position
        ids = [m.group(1) if m else b"%d" % i
               for i, m in enumerate(ID_IN_ACTION.search(a) for a in actions)]
    items = b",".join([head + i + tail for i in ids])
    return 200, b'{"took":0,"errors":false,"items":[' + items + b"]}", len(actions)


def couch_bulk_docs(body):
    """(status, answer, items) for a CouchDB _bulk_docs body."""
    try:
        docs = json.loads(body)["docs"]
        if not isinstance(docs, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return 400, b'{"error":"bad_request","reason":"expected {\\"docs\\": [...]}"}', 0
    parts = []
    for i, doc in enumerate(docs):
        doc_id = doc.get("_id") if isinstance(doc, dict) else None
        doc_id = json.dumps(doc_id) if isinstance(doc_id, str) else '"%d"' % i
        parts.append('{"ok":true,"id":%s,"rev":"1-0"}' % doc_id)
    return 201, ("[" + ",".join(parts) + "]").encode(), len(docs)


def make_handler(args, stats):
    delay = args.delay_ms / 1000.0
    index = args.index.encode()

    async def handle(request):
        path = request.path
        if path == "/__stats":
            return web.Response(body=json.dumps(stats.as_dict()).encode(), headers=JSON_HEADERS)
        if path == "/__reset" and request.method == "POST":
            stats.reset()
            return web.Response(body=b'{"reset":true}', headers=JSON_HEADERS)

        body = await request.read()
        if path.endswith("/_bulk"):
            endpoint = "bulk"
            status, answer, items = es_bulk(body, index)
        elif path.endswith("/_bulk_docs"):
            endpoint = "bulk_docs"
            status, answer, items = couch_bulk_docs(body)
        else:
            endpoint = "other"
            status, answer, items = 201, OK_BODY, 1
        if status >= 400:
            stats.bad += 1
        stats.count(endpoint, items, len(body), status)
        if delay > 0.0:
            await asyncio.sleep(delay)
        return web.Response(status=status, body=answer, headers=JSON_HEADERS)

    return handle


async def serve(args):
    stats = Stats()
    server = web.Server(make_handler(args, stats), access_log=None)
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(server, args.host, args.port, reuse_address=True,
                                   backlog=4096)
    print(f"bulk-sink listening on http://{args.host}:{args.port}/ delay_ms={args.delay_ms}",
          file=sys.stderr, flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    srv.close()
    await server.shutdown(1.0)
    print(json.dumps(stats.as_dict()), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=28190)
    ap.add_argument("--delay-ms", type=float, default=0.0)
    ap.add_argument("--index", default="sensors", help='"_index" in _bulk answers')
    asyncio.run(serve(ap.parse_args()))


if __name__ == "__main__":
    main()
