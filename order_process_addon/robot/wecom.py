# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""WeCom (企业微信) group robot: ``POST https://qyapi.weixin.qq.com/cgi-bin/
webhook/send?key=<key>``. No signature: the key in the URL is the robot.

The card goes as a ``text`` message: WeCom's ``markdown`` cannot @-mention
by mobile number, ``text`` can (``mentioned_mobile_list``), and the person
who must act is the one whose phone should ring; WeCom turns the link into
a clickable one. At most 2048 bytes of content.
"""

from .base import Platform, query_value, text_lines

MAX_BYTES = 2048


class WeCom(Platform):
    platform = "wecom"
    label = "WeCom"
    # 20 messages a minute per robot.
    rate_limits = ((20, 60),)
    rate_pause = 60
    # 93000: invalid webhook url (the key is wrong or the robot was removed).
    invalid_codes = frozenset({93000})
    # 45009: api freq out of limit.
    rate_codes = frozenset({45009})
    # 40008 invalid message type, 40058 a field missing or invalid, 44004 empty
    # content, 45002 content too long.
    rejected_codes = frozenset({40008, 40058, 44004, 45002})

    def key(self):
        return query_value(self.parts, "key")

    def payload(self, card):
        content = "\n".join([f"【{card['title']}】", *text_lines(card)])
        link = ""
        if card.get("link"):
            label, url = card["link"]
            link = f"\n{label}: {url}"
        room = MAX_BYTES - len(link.encode())
        if len(content.encode()) > room:
            # Shortened, the link kept.
            content = content.encode()[: room - 3].decode("utf-8", "ignore") + "…"
        text = {"content": content + link}
        mobiles = [p["mobile"] for p in card.get("mentions", []) if p.get("mobile")]
        if mobiles:
            text["mentioned_mobile_list"] = mobiles
        return {"msgtype": "text", "text": text}

    def classify(self, status, answer):
        code = answer.get("errcode")
        return self._by_code(status, code, str(answer.get("errmsg") or ""))
