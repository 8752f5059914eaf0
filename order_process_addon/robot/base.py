# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the three robot clients share: the webhook URL and its key, the
HTTP exchange in three stages, and the answer as the outbox reads it.

A webhook URL carries its robot's key (WeCom ``key=``, DingTalk
``access_token=``, Feishu the hook id in the path): whoever has it posts in
the group. It is never written to a log or an error; ``masked_url`` shows
it with its key hidden.

The exchange is staged so that the outbox knows what the platform may have
received (it has no idempotency key of its own):

1. the connection fails (refused, unreachable, name unknown, TLS): nothing
   was sent, the message is retried;
2. sending the request fails: the platform got at most part of it, which it
   cannot process; retried;
3. the request was sent and no answer came (a timeout, the connection cut):
   the platform may have posted it. UNKNOWN: never sent again by itself
   (at most once), shown to the administrators instead.
"""

import http.client
import json
import socket
import ssl
import urllib.parse
from dataclasses import dataclass

# What happened to a message, as the outbox acts on it.
OK = "ok"  # posted in the group
RETRY = "retry"  # not posted: try again later (back-off)
RATE_LIMITED = "rate_limited"  # not posted: the robot waits, then tries again
INVALID_ROBOT = "invalid_robot"  # the key, secret or security setting is refused
REJECTED = "rejected"  # this message is refused; sending it again won't help
UNKNOWN = "unknown"  # sent, no answer: it may be in the group

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
MAX_ANSWER = 65536
USER_AGENT = "Odoo order_process_addon group robot"


class RobotUrlError(ValueError):
    """The webhook URL is not one of the platform's (the message says
    why, in English; the model translates its own)."""


@dataclass
class Answer:
    """The platform's answer to one message."""

    outcome: str
    status: int | None = None  # HTTP status, None without an answer
    code: int | None = None  # the platform's error code (0: accepted)
    message: str = ""  # the platform's message, or what went wrong
    pause: int = 0  # rate limited: seconds the robot waits

    @property
    def ok(self):
        return self.outcome == OK

    def describe(self):
        """One line for the outbox and the administrator."""
        head = " ".join(
            part
            for part in (
                self.status is not None and f"HTTP {self.status}",
                self.code is not None and f"code {self.code}",
            )
            if part
        )
        return ": ".join(part for part in (head, self.message) if part)


class Platform:
    """One platform's group robot, for one webhook URL."""

    platform = None
    label = None
    # (messages, seconds) the platform accepts per robot, queued for.
    rate_limits = ((20, 60),)
    # Seconds a robot waits after the platform said "too fast".
    rate_pause = 60
    # The platform's codes, by what the outbox does with them.
    invalid_codes = frozenset()
    rate_codes = frozenset()
    rejected_codes = frozenset()

    def __init__(
        self, url, secret=None, connect_timeout=CONNECT_TIMEOUT, timeout=READ_TIMEOUT
    ):
        self.url = (url or "").strip()
        self.secret = (secret or "").strip() or None
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self.parts = urllib.parse.urlsplit(self.url)
        self.check_url()

    # ------------------------------------------------------------ the URL
    def key(self):
        """The robot's key, read from its URL (subclasses)."""
        raise NotImplementedError

    def check_url(self):
        parts = self.parts
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise RobotUrlError("not a web address")
        if parts.scheme == "http" and parts.hostname not in (
            "localhost",
            "127.0.0.1",
            "::1",
        ):
            # The key would cross the network in clear.
            raise RobotUrlError("the address must start with https://")
        if not self.key():
            raise RobotUrlError("the address carries no robot key")

    def masked_url(self):
        return mask(self.url, self.key())

    def scrub(self, text):
        """``text`` without the key or the secret in it."""
        text = str(text or "")
        for secret in (self.url, self.key(), self.secret):
            if secret:
                text = text.replace(secret, mask(secret, secret))
        return text

    # ------------------------------------------------------------ the message
    def payload(self, card):
        """The platform's JSON for a card (subclasses)."""
        raise NotImplementedError

    def signed(self, payload, now):
        """(URL, payload) to post at ``now`` (a POSIX time): signed where
        the robot has a secret (subclasses)."""
        return self.url, payload

    def send(self, payload, now, idempotency_key=None):
        """Post ``payload``; the platform's answer as an ``Answer``."""
        url, body = self.signed(payload, now)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
        }
        if idempotency_key:
            # No platform honours it today; a proxy or a future API may, and
            # the local fakes count duplicates by it.
            headers["Idempotency-Key"] = idempotency_key
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            status, raw = self._post(url, data, headers)
        except _NotSent as error:
            return Answer(RETRY, message=self.scrub(error))
        except _MaybeSent as error:
            return Answer(UNKNOWN, message=self.scrub(error))
        try:
            answer = json.loads(raw.decode("utf-8", "replace"))
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            return self._http_answer(status, raw)
        result = self.classify(status, answer)
        result.message = self.scrub(result.message)
        return result

    def classify(self, status, answer):
        """The platform's JSON answer as an ``Answer`` (subclasses)."""
        raise NotImplementedError

    def _by_code(self, status, code, message):
        if code == 0 and status < 300:
            return Answer(OK, status, 0, message)
        if status == 429 or code in self.rate_codes:
            return Answer(RATE_LIMITED, status, code, message, self.rate_pause)
        if code in self.invalid_codes:
            return Answer(INVALID_ROBOT, status, code, message)
        if code in self.rejected_codes:
            return Answer(REJECTED, status, code, message)
        return Answer(RETRY, status, code, message)

    def _http_answer(self, status, raw):
        """An answer that is not the platform's JSON (a proxy's page, an
        error of its gateway)."""
        text = self.scrub(raw[:200].decode("utf-8", "replace").strip())
        if status == 429:
            return Answer(RATE_LIMITED, status, None, text, self.rate_pause)
        if status in (401, 403, 404):
            return Answer(INVALID_ROBOT, status, None, text)
        return Answer(RETRY, status, None, text)

    # ------------------------------------------------------------ HTTP
    def _post(self, url, data, headers):
        parts = urllib.parse.urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                parts.hostname,
                parts.port,
                timeout=self.connect_timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=self.connect_timeout
            )
        try:
            try:
                connection.connect()
            except OSError as error:
                raise _NotSent(f"no connection: {_reason(error)}") from None
            connection.sock.settimeout(self.timeout)
            try:
                connection.request("POST", path, body=data, headers=headers)
            except OSError as error:
                raise _NotSent(f"not sent: {_reason(error)}") from None
            try:
                response = connection.getresponse()
                return response.status, response.read(MAX_ANSWER)
            except (OSError, http.client.HTTPException) as error:
                raise _MaybeSent(f"sent, no answer: {_reason(error)}") from None
        finally:
            connection.close()


class _NotSent(Exception):
    pass


class _MaybeSent(Exception):
    pass


def _reason(error):
    """What went wrong, without the exception's text (which may quote the
    address)."""
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError | BrokenPipeError):
        return "connection reset"
    if isinstance(error, socket.gaierror):
        return "host name not found"
    if isinstance(error, ssl.SSLError):
        return f"TLS error ({error.reason or 'handshake'})"
    if isinstance(error, http.client.RemoteDisconnected):
        return "connection closed without an answer"
    if isinstance(error, http.client.HTTPException):
        return "invalid answer"
    return type(error).__name__


def mask(text, key):
    """``text`` with ``key`` replaced by dots and its last 4 characters."""
    if not key:
        return text
    tail = key[-4:] if len(key) > 8 else ""
    return text.replace(key, "••••••" + tail)


def query_value(parts, name):
    values = urllib.parse.parse_qs(parts.query).get(name)
    return values[0] if values else None


def text_lines(card):
    """The card's lines as plain text (label: value), without the title."""
    lines = [card["text"]] if card.get("text") else []
    lines += [f"{label}: {value}" for label, value in card.get("fields", [])]
    return lines
