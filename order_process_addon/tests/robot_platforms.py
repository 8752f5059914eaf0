# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The group robot APIs of WeCom, DingTalk and Feishu, played locally
(issue 21, item 4): an HTTP server in a thread that checks each request as
the platform does and answers as it does, for the tests and ``make load``
(which loads this file by its path: standard library only).

Each platform, as documented by it (and what the addon's clients are
checked against; this is written apart from them, on purpose):

- WeCom ``POST /cgi-bin/webhook/send?key=K``: no signature; an unknown key
  answers errcode 93000 (invalid webhook url); a ``text`` needs its
  ``content`` (at most 2048 bytes, else 45002), a ``markdown`` too; over 20
  messages a minute per robot: 45009 (api freq out of limit).
- DingTalk ``POST /robot/send?access_token=T[&timestamp=&sign=]``: an
  unknown token answers 300005 (token is not exist); a robot with a secret
  checks ``sign`` = base64(HMAC-SHA256(key=secret, timestamp + "\\n" +
  secret)), URL-encoded, the timestamp (ms) within an hour, else 310000;
  over 20 a minute: 130101 (send too fast).
- Feishu ``POST /open-apis/bot/v2/hook/H``: an unknown hook answers 19001;
  a bot with a secret checks the body's ``sign`` = base64(HMAC-SHA256(key=
  timestamp + "\\n" + secret, message=empty)), ``timestamp`` (seconds)
  within an hour, else 19021; over 100 a minute or 5 a second: 11232; a
  malformed message: HTTP 400, code 9499 (Bad Request).

Every request is kept in ``requests`` with what was answered; ``accepted()``
lists the messages posted in a group. Faults: ``down()`` / ``up()`` (the
port refuses connections), ``delay`` (a slow platform, seconds before
answering), ``hang(n, seconds)`` (the next requests are posted, then no
answer comes for longer than a client waits), ``script(...)`` (the next
answers, as given).
"""

import base64
import collections
import contextlib
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WECOM_PATH = "/cgi-bin/webhook/send"
DINGTALK_PATH = "/robot/send"
FEISHU_PREFIX = "/open-apis/bot/v2/hook/"
LIMITS = {"wecom": ((20, 60),), "dingtalk": ((20, 60),), "feishu": ((100, 60), (5, 1))}
HOUR = 3600

Request = collections.namedtuple(
    "Request", "platform key query headers body status answer accepted at"
)


class FakePlatforms:
    def __init__(self, host="127.0.0.1", port=0, limits=True):
        self.host = host
        self.port = port
        self.limits = limits
        self.robots = {}  # (platform, key) -> secret or None
        self.requests = []
        self.lock = threading.Lock()
        self.delay = 0.0
        # Called with each request once it is posted, before it is answered,
        # and the client's (host, port) (make load kills the sender there).
        self.before_answer = None
        self._hang = []  # seconds to hang the next requests
        self._script = []  # (status, answer) to give the next requests
        self._posted = collections.defaultdict(list)  # (platform, key) -> times
        self.server = None
        self.thread = None
        self.up()

    # ------------------------------------------------------------ control
    def add(self, platform, key, secret=None):
        """A robot the platform knows; its webhook URL."""
        self.robots[platform, key] = secret
        return self.url(platform, key)

    def url(self, platform, key):
        base = f"http://{self.host}:{self.port}"
        if platform == "wecom":
            return f"{base}{WECOM_PATH}?key={key}"
        if platform == "dingtalk":
            return f"{base}{DINGTALK_PATH}?access_token={key}"
        return f"{base}{FEISHU_PREFIX}{key}"

    def up(self):
        if self.server:
            return
        handler = type("Handler", (_Handler,), {"platforms": self})
        server = ThreadingHTTPServer((self.host, self.port), handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def down(self):
        """The platform is unreachable: its port refuses connections."""
        if not self.server:
            return
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
        self.server = self.thread = None

    def hang(self, count, seconds):
        """The next ``count`` messages are posted, then no answer comes for
        ``seconds``."""
        with self.lock:
            self._hang.extend([seconds] * count)

    def script(self, *answers):
        """The next requests get these (status, answer) whatever they are."""
        with self.lock:
            self._script.extend(answers)

    def accepted(self, platform=None, key=None):
        """The bodies of the messages posted in a group, in order."""
        return [
            r.body
            for r in self.requests
            if r.accepted
            and (platform is None or r.platform == platform)
            and (key is None or r.key == key)
        ]

    def clear(self):
        """Forget the requests and the faults asked for."""
        with self.lock:
            self.requests.clear()
            self._posted.clear()
            self._script.clear()
            self._hang.clear()
            self.delay = 0.0

    def close(self):
        self.down()

    # ------------------------------------------------------------ platforms
    def handle(self, path, query, headers, raw):
        """(status, answer, platform, key, accepted) for one request."""
        params = urllib.parse.parse_qs(query)
        body = _json(raw)
        if path == WECOM_PATH:
            platform, key = "wecom", _first(params, "key")
        elif path == DINGTALK_PATH:
            platform, key = "dingtalk", _first(params, "access_token")
        elif path.startswith(FEISHU_PREFIX):
            platform, key = "feishu", path[len(FEISHU_PREFIX) :].strip("/")
        else:
            return 404, {"error": "not found"}, None, None, False
        with self.lock:
            scripted = self._script.pop(0) if self._script else None
        if scripted:
            status, answer = scripted
            return status, answer, platform, key, _code(answer) == 0
        check = getattr(self, f"_{platform}")
        status, answer = check(key, params, body)
        accepted = status == 200 and _code(answer) == 0
        if accepted and self.limits:
            with self.lock:
                over = self._over_limit(platform, key)
                if not over:
                    self._posted[platform, key].append(time.monotonic())
            if over:
                status, answer = over
                accepted = False
        return status, answer, platform, key, accepted

    def _wecom(self, key, params, body):
        if not key or ("wecom", key) not in self.robots:
            return 200, {
                "errcode": 93000,
                "errmsg": "invalid webhook url, hint: [local], from ip: 127.0.0.1, "
                "more info at https://open.work.weixin.qq.com/devtool/query?e=93000",
            }
        kind = body.get("msgtype") if isinstance(body, dict) else None
        if kind not in ("text", "markdown"):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        content = (body.get(kind) or {}).get("content")
        if not content:
            return 200, {"errcode": 44004, "errmsg": "empty content"}
        if len(content.encode()) > 2048:
            return 200, {"errcode": 45002, "errmsg": "content exceed max length"}
        mobiles = body[kind].get("mentioned_mobile_list", [])
        if not isinstance(mobiles, list):
            return 200, {"errcode": 40058, "errmsg": "mentioned_mobile_list invalid"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _dingtalk(self, key, params, body):
        if not key or ("dingtalk", key) not in self.robots:
            return 200, {"errcode": 300005, "errmsg": "token is not exist"}
        secret = self.robots["dingtalk", key]
        if secret:
            timestamp = _first(params, "timestamp") or ""
            sign = _first(params, "sign") or ""
            if (
                not timestamp.isdigit()
                or abs(time.time() - int(timestamp) / 1000) > HOUR
            ):
                return 200, {
                    "errcode": 310000,
                    "errmsg": "invalid timestamp, more: [local]",
                }
            digest = hmac.new(
                secret.encode("utf-8"),
                (timestamp + "\n" + secret).encode("utf-8"),
                hashlib.sha256,
            ).digest()
            if not hmac.compare_digest(base64.b64encode(digest).decode(), sign):
                return 200, {
                    "errcode": 310000,
                    "errmsg": "sign not match, more: [local]",
                }
        kind = body.get("msgtype") if isinstance(body, dict) else None
        part = body.get(kind) if kind else None
        valid = isinstance(part, dict) and (
            (kind == "text" and part.get("content"))
            or (kind == "markdown" and part.get("title") and part.get("text"))
        )
        if not valid:
            return 200, {"errcode": 40035, "errmsg": "missing parameter"}
        at = body.get("at", {})
        if not isinstance(at.get("atMobiles", []), list):
            return 200, {"errcode": 40035, "errmsg": "atMobiles invalid"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _feishu(self, key, params, body):
        if not key or ("feishu", key) not in self.robots:
            return 200, {
                "code": 19001,
                "data": {},
                "msg": "param invalid: incoming webhook access token invalid",
            }
        if not isinstance(body, dict):
            return 400, {"code": 9499, "data": {}, "msg": "Bad Request"}
        secret = self.robots["feishu", key]
        if secret:
            timestamp = str(body.get("timestamp") or "")
            sign = str(body.get("sign") or "")
            key_bytes = (timestamp + "\n" + secret).encode("utf-8")
            expected = base64.b64encode(
                hmac.new(key_bytes, b"", hashlib.sha256).digest()
            ).decode()
            if (
                not timestamp.isdigit()
                or abs(time.time() - int(timestamp)) > HOUR
                or not hmac.compare_digest(expected, sign)
            ):
                return 200, {
                    "code": 19021,
                    "data": {},
                    "msg": "sign match fail or timestamp is not within one hour "
                    "from current time",
                }
        kind = body.get("msg_type")
        valid = (kind == "text" and (body.get("content") or {}).get("text")) or (
            kind == "interactive"
            and isinstance(body.get("card"), dict)
            and isinstance(body["card"].get("elements"), list)
        )
        if not valid:
            return 400, {"code": 9499, "data": {}, "msg": "Bad Request"}
        return 200, {
            "StatusCode": 0,
            "StatusMessage": "success",
            "code": 0,
            "data": {},
            "msg": "success",
        }

    def _over_limit(self, platform, key):
        now = time.monotonic()
        posted = self._posted[platform, key]
        for count, seconds in LIMITS[platform]:
            if sum(1 for t in posted if t > now - seconds) >= count:
                return {
                    "wecom": (
                        200,
                        {"errcode": 45009, "errmsg": "api freq out of limit"},
                    ),
                    "dingtalk": (
                        200,
                        {
                            "errcode": 130101,
                            "errmsg": "send too fast, exceed 20 times per minute",
                        },
                    ),
                    "feishu": (
                        200,
                        {"code": 11232, "data": {}, "msg": "frequency limited"},
                    ),
                }[platform]
        return None


class _Handler(BaseHTTPRequestHandler):
    platforms = None
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 - the name http.server calls
        platforms = self.platforms
        parts = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        status, answer, platform, key, accepted = platforms.handle(
            parts.path, parts.query, self.headers, raw
        )
        with platforms.lock:
            hang = platforms._hang.pop(0) if platforms._hang else 0
            platforms.requests.append(
                Request(
                    platform,
                    key,
                    parts.query,
                    dict(self.headers),
                    _json(raw),
                    status,
                    answer,
                    accepted,
                    time.time(),
                )
            )
        if platforms.before_answer:
            platforms.before_answer(platforms.requests[-1], self.client_address)
        if hang or platforms.delay:
            time.sleep(hang or platforms.delay)
        data = json.dumps(answer).encode()
        # The client may have given up waiting (a hang): then the answer
        # goes nowhere, which is the point.
        with contextlib.suppress(OSError):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def log_message(self, *args):
        pass


def _json(raw):
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        return None


def _first(params, name):
    values = params.get(name)
    return values[0] if values else None


def _code(answer):
    if not isinstance(answer, dict):
        return None
    return answer.get("errcode", answer.get("code"))
