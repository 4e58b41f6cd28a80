"""A local HTTP server that plays an SMS gateway and the Telegram Bot API.

It runs in a thread on a free loopback port, so the real HTTP client code is exercised.
Like the gateways we target, it deduplicates on the ``Idempotency-Key`` header (SMS: also
the ``id``/``message-id`` field): a repeated key gets the original answer and delivers
nothing new. Tests script its answers with ``plan(...)``:

    gateway.plan("503", "503", "accept")   # fail twice, then accept
    gateway.plan(("429", 2))                # 429 with Retry-After: 2
    gateway.plan("timeout")                 # answer after the client has given up
    gateway.plan("reject")                  # 400 invalid number / 403 bot blocked

and read what happened with ``requests_for(key)`` (every request that carried the key) and
``delivered`` (key → message, one entry per message that really went out).
"""

import collections
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SMS_PATH = "/sms/send"
TELEGRAM_TOKEN = "123456:TEST-TOKEN"


class Gateway:
    def __init__(self):
        self.lock = threading.Lock()
        self.script = collections.deque()
        self.requests = []  # (kind, key, payload, monotonic time)
        self.delivered = {}  # key -> {"kind", "to", "text", "id"}
        self.ids = itertools.count(1000)
        self.timeout_seconds = 3.0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- control ----------------------------------------------------------------------------
    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def sms_url(self):
        return self.url + SMS_PATH

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def plan(self, *actions):
        with self.lock:
            self.script.extend(actions)

    def reset(self):
        with self.lock:
            self.script.clear()
            self.requests.clear()
            self.delivered.clear()

    def requests_for(self, key):
        return [r for r in self.requests if r[1] == key]

    def texts(self):
        return [message["text"] for message in self.delivered.values()]

    # --- server -----------------------------------------------------------------------------
    def _next_action(self):
        with self.lock:
            return self.script.popleft() if self.script else "accept"

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; without TCP_NODELAY each response
            # would wait ~40 ms for the client's delayed ACK.
            disable_nagle_algorithm = True

            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    payload = {}
                if self.path == SMS_PATH:
                    kind = "sms"
                    message = _sms_message(payload)
                elif self.path == f"/bot{TELEGRAM_TOKEN}/sendMessage":
                    kind = "telegram"
                    message = {"to": str(payload.get("chat_id")), "text": payload.get("text", "")}
                else:
                    self._answer(404, {"error": "not found"})
                    return
                key = self.headers.get("Idempotency-Key") or message.pop("key", "")
                message.pop("key", None)
                with gateway.lock:
                    gateway.requests.append((kind, key, payload, time.monotonic()))
                    previous = gateway.delivered.get(key) if key else None
                if previous is not None:  # the same message again: answer as before, send nothing
                    self._accepted(kind, previous["id"], duplicate=True)
                    return
                action = gateway._next_action()
                name, argument = action if isinstance(action, tuple) else (action, None)
                if name == "accept":
                    with gateway.lock:
                        message.update(kind=kind, id=next(gateway.ids))
                        gateway.delivered[key or f"anonymous-{message['id']}"] = message
                    self._accepted(kind, message["id"])
                elif name == "timeout":
                    time.sleep(argument or gateway.timeout_seconds)
                    self._answer(504, {"error": "too late"})
                elif name == "429":
                    self._too_many(kind, argument or 1)
                elif name == "reject":
                    self._rejected(kind)
                else:  # "500", "502", "503": a gateway in trouble
                    self._answer(int(name), {"ok": False, "error": "gateway unavailable"})

            def _accepted(self, kind, message_id, duplicate=False):
                if kind == "telegram":
                    self._answer(200, {"ok": True, "result": {"message_id": message_id}})
                else:
                    self._answer(
                        200, {"id": str(message_id), "status": "accepted", "duplicate": duplicate}
                    )

            def _too_many(self, kind, seconds):
                headers = {"Retry-After": str(seconds)}
                if kind == "telegram":
                    body = {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {seconds}",
                        "parameters": {"retry_after": seconds},
                    }
                else:
                    body = {"error": "rate limit exceeded"}
                self._answer(429, body, headers)

            def _rejected(self, kind):
                if kind == "telegram":
                    self._answer(
                        403,
                        {
                            "ok": False,
                            "error_code": 403,
                            "description": "Forbidden: bot was blocked by the user",
                        },
                    )
                else:
                    self._answer(400, {"error": "invalid phone number"})

            def _answer(self, status, body, headers=None):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        return Handler


def _sms_message(payload):
    if "messages" in payload:  # Play Mobile–style
        item = (payload.get("messages") or [{}])[0]
        return {
            "key": item.get("message-id", ""),
            "to": item.get("recipient", ""),
            "text": ((item.get("sms") or {}).get("content") or {}).get("text", ""),
        }
    return {
        "key": payload.get("id", ""),
        "to": payload.get("to", ""),
        "text": payload.get("text", ""),
    }
