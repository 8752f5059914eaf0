# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Feishu (飞书) custom bot: ``POST https://open.feishu.cn/open-apis/bot/v2/
hook/<hook id>`` (Lark: ``open.larksuite.com``, the same API).

Signing (签名校验), as Feishu documents it: the key ``timestamp + "\\n" +
secret`` (timestamp in seconds) signs an empty message with HMAC-SHA256; the
base64 of it goes in the JSON body as ``sign``, beside ``timestamp`` (a
string); Feishu refuses a timestamp more than an hour away from its clock.

The card goes as an ``interactive`` card (a header coloured by urgency, the
lines in ``lark_md`` and a button to the record). Feishu's custom bots
@-mention by open_id, which Odoo does not know, or, in a card, by e-mail
(``<at email=...></at>``): the people who must act are mentioned by their
Odoo e-mail, which works where it is their Feishu account's; their names
are written out in any case.
"""

import base64
import hashlib
import hmac
import re

from .base import Platform

HOOK = re.compile(r"/open-apis/bot/v2/hook/([A-Za-z0-9_-]+)/?$")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+$")
COLOURS = {"info": "blue", "warning": "orange", "alert": "red"}
# lark_md markup a value from the database must not carry.
LARK_MD = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: f"&#{ord(c)};" for c in "*_~[]`"}
)


def sign(secret, timestamp):
    """Feishu's signature for ``timestamp`` (seconds, a string)."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


class Feishu(Platform):
    platform = "feishu"
    label = "Feishu"
    # 100 messages a minute and 5 a second per bot.
    rate_limits = ((100, 60), (5, 1))
    rate_pause = 60
    # 19001: the hook id is invalid; 19021: sign match fail or timestamp not
    # within an hour; 19022: IP not allowed; 19024: keywords not found.
    invalid_codes = frozenset({19001, 19021, 19022, 19024})
    # 11232: frequency limited; 230020: the group's rate limit; 99991400: the
    # platform's request limit.
    rate_codes = frozenset({11232, 230020, 99991400})
    # 9499: Bad Request (the message is malformed); 19002: a parameter is
    # missing or invalid.
    rejected_codes = frozenset({9499, 19002})

    def key(self):
        match = HOOK.search(self.parts.path)
        return match and match.group(1)

    def signed(self, payload, now):
        if not self.secret:
            return self.url, payload
        timestamp = str(int(now))
        return self.url, {
            "timestamp": timestamp,
            "sign": sign(self.secret, timestamp),
            **payload,
        }

    def payload(self, card):
        lines = [escape(card["text"])] if card.get("text") else []
        lines += [
            f"**{escape(label)}:** {escape(value)}"
            for label, value in card.get("fields", [])
        ]
        emails = [
            p["email"]
            for p in card.get("mentions", [])
            if p.get("email") and EMAIL.match(p["email"])
        ]
        if emails:
            lines.append(" ".join(f"<at email={email}></at>" for email in emails))
        elements = [
            {"tag": "div", "text": {"tag": "lark_md", "content": "\n".join(lines)}}
        ]
        if card.get("link"):
            label, url = card["link"]
            elements.append(
                {
                    "tag": "action",
                    "actions": [
                        {
                            "tag": "button",
                            "type": "primary",
                            "text": {"tag": "plain_text", "content": label},
                            "url": url,
                        }
                    ],
                }
            )
        return {
            "msg_type": "interactive",
            "card": {
                "config": {"wide_screen_mode": True},
                "header": {
                    "template": COLOURS.get(card.get("level"), "blue"),
                    "title": {"tag": "plain_text", "content": card["title"]},
                },
                "elements": elements,
            },
        }

    def classify(self, status, answer):
        code = answer.get("code", answer.get("StatusCode"))
        message = answer.get("msg", answer.get("StatusMessage")) or ""
        return self._by_code(status, code, str(message))


def escape(value):
    return str(value).translate(LARK_MD)
