# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""DingTalk (钉钉) custom robot: ``POST https://oapi.dingtalk.com/robot/send?
access_token=<token>``.

Signing (加签), as DingTalk documents it: the string ``timestamp + "\\n" +
secret`` (timestamp in milliseconds) is signed with HMAC-SHA256 keyed by
the secret, base64-encoded, then URL-encoded, and sent as
``&timestamp=<ms>&sign=<sign>``; DingTalk refuses a timestamp more than an
hour away from its clock.

The card goes as ``markdown``; who must act is @-mentioned by mobile number
(``at.atMobiles``), which DingTalk shows only when the number is also in the
text, so it is written at the end.
"""

import base64
import hashlib
import hmac
import urllib.parse

from .base import Platform, query_value

# Markdown characters a value from the database must not turn into markup.
MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


def sign(secret, timestamp_ms):
    """DingTalk's signature of ``timestamp_ms`` (a string), URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


class DingTalk(Platform):
    platform = "dingtalk"
    label = "DingTalk"
    # 20 messages a minute per robot; beyond, DingTalk throttles the robot
    # for 10 minutes.
    rate_limits = ((20, 60),)
    rate_pause = 600
    # 300001/300005: token is not exist; 310000: the robot's security setting
    # refused it (sign not match, keywords not in content, IP not in the
    # whitelist); 400013: the robot does not exist or was disabled.
    invalid_codes = frozenset({300001, 300005, 310000, 400013})
    # 130101: send too fast; 410100: send too fast, exceed 20 times per minute.
    rate_codes = frozenset({130101, 410100})
    # 40035: a required parameter is missing; 430101: the message is invalid.
    rejected_codes = frozenset({40035, 430101})

    def key(self):
        return query_value(self.parts, "access_token")

    def signed(self, payload, now):
        if not self.secret:
            return self.url, payload
        timestamp = str(int(now * 1000))
        url = f"{self.url}&timestamp={timestamp}&sign={sign(self.secret, timestamp)}"
        return url, payload

    def payload(self, card):
        lines = [f"#### {escape(card['title'])}"]
        if card.get("text"):
            lines += ["", escape(card["text"])]
        if card.get("fields"):
            lines.append("")
            lines += [
                f"- **{escape(label)}:** {escape(value)}"
                for label, value in card["fields"]
            ]
        if card.get("link"):
            label, url = card["link"]
            lines += ["", f"[{escape(label)}]({url})"]
        mobiles = [p["mobile"] for p in card.get("mentions", []) if p.get("mobile")]
        if mobiles:
            lines += ["", " ".join(f"@{mobile}" for mobile in mobiles)]
        return {
            "msgtype": "markdown",
            "markdown": {"title": card["title"], "text": "\n".join(lines)},
            "at": {"atMobiles": mobiles, "isAtAll": False},
        }

    def classify(self, status, answer):
        code = answer.get("errcode")
        return self._by_code(status, code, str(answer.get("errmsg") or ""))


def escape(value):
    return str(value).translate(MARKDOWN)
