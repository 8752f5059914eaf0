# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 21, item 4: the three platform clients against the local platforms
(``robot_platforms``), which check each request as the platform does: the
exact payloads, each platform's signature verified as the platform
verifies it, and every kind of answer (accepted, refused key or signature,
rate limited, malformed, server error, down, no answer)."""

import base64
import hashlib
import hmac
import time
import urllib.parse

from odoo.tests import TransactionCase, tagged

from ..robot import (
    INVALID_ROBOT,
    OK,
    RATE_LIMITED,
    REJECTED,
    RETRY,
    UNKNOWN,
    DingTalk,
    Feishu,
    RobotUrlError,
    WeCom,
    client_for,
)
from .robot_platforms import FakePlatforms

CARD = {
    "title": "Review Overdue",
    "text": "The review of S00046 for Quality is overdue.",
    "fields": [
        ["Document", "S00046"],
        ["Deadline", "2026-12-04 16:00 CST"],
        ["Who must act", "Huang Yong, Xu Li"],
    ],
    "link": ["Open in Odoo", "http://odoo.example.com/odoo/sale.order/46"],
    "mentions": [
        {"name": "Huang Yong", "mobile": "13800138008", "email": "hy@example.com"},
        {"name": "Xu Li", "mobile": "", "email": ""},
    ],
    "level": "alert",
}


@tagged("post_install", "-at_install")
class TestRobotClients(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platforms = FakePlatforms()
        cls.addClassCleanup(cls.platforms.close)
        cls.wecom_url = cls.platforms.add("wecom", "wk-1")
        cls.ding_url = cls.platforms.add("dingtalk", "dt1", "SECdingsecret01")
        cls.feishu_url = cls.platforms.add("feishu", "fs-1", "feishusecret01")

    def setUp(self):
        super().setUp()
        self.platforms.clear()
        self.platforms.up()
        self.platforms.delay = 0

    # ------------------------------------------------------------ payloads
    def test_wecom_text_with_mobile_mentions_exact_payload(self):
        client = WeCom(self.wecom_url)
        payload = client.payload(CARD)
        self.assertEqual(
            payload,
            {
                "msgtype": "text",
                "text": {
                    "content": "【Review Overdue】\n"
                    "The review of S00046 for Quality is overdue.\n"
                    "Document: S00046\n"
                    "Deadline: 2026-12-04 16:00 CST\n"
                    "Who must act: Huang Yong, Xu Li\n"
                    "Open in Odoo: http://odoo.example.com/odoo/sale.order/46",
                    "mentioned_mobile_list": ["13800138008"],
                },
            },
        )
        answer = client.send(payload, time.time(), idempotency_key="k1")
        self.assertEqual(answer.outcome, OK, answer.describe())
        self.assertEqual(self.platforms.accepted("wecom"), [payload])
        self.assertEqual(self.platforms.requests[0].headers["Idempotency-Key"], "k1")

    def test_dingtalk_markdown_mentions_in_text_and_at(self):
        payload = DingTalk(self.ding_url, "SECdingsecret01").payload(CARD)
        self.assertEqual(
            payload,
            {
                "msgtype": "markdown",
                "markdown": {
                    "title": "Review Overdue",
                    "text": "#### Review Overdue\n\n"
                    "The review of S00046 for Quality is overdue.\n\n"
                    "- **Document:** S00046\n"
                    "- **Deadline:** 2026-12-04 16:00 CST\n"
                    "- **Who must act:** Huang Yong, Xu Li\n\n"
                    "[Open in Odoo](http://odoo.example.com/odoo/sale.order/46)\n\n"
                    "@13800138008",
                },
                "at": {"atMobiles": ["13800138008"], "isAtAll": False},
            },
        )

    def test_feishu_card_mentions_by_email(self):
        payload = Feishu(self.feishu_url).payload(CARD)
        self.assertEqual(
            payload,
            {
                "msg_type": "interactive",
                "card": {
                    "config": {"wide_screen_mode": True},
                    "header": {
                        "template": "red",
                        "title": {"tag": "plain_text", "content": "Review Overdue"},
                    },
                    "elements": [
                        {
                            "tag": "div",
                            "text": {
                                "tag": "lark_md",
                                "content": "The review of S00046 for Quality is "
                                "overdue.\n"
                                "**Document:** S00046\n"
                                "**Deadline:** 2026-12-04 16:00 CST\n"
                                "**Who must act:** Huang Yong, Xu Li\n"
                                "<at email=hy@example.com></at>",
                            },
                        },
                        {
                            "tag": "action",
                            "actions": [
                                {
                                    "tag": "button",
                                    "type": "primary",
                                    "text": {
                                        "tag": "plain_text",
                                        "content": "Open in Odoo",
                                    },
                                    "url": "http://odoo.example.com/odoo/sale.order/46",
                                }
                            ],
                        },
                    ],
                },
            },
        )

    def test_values_cannot_become_markup_or_mention_everyone(self):
        """A reason typed by a user (or a customer's name) is text: it
        cannot @-mention the whole group or turn into a link."""
        hostile = (
            '<at user_id="all">所有人</at> **[click](http://evil)** <at id=all></at>'
        )
        card = dict(CARD, text=hostile, mentions=[])
        lark = Feishu(self.feishu_url).payload(card)["card"]["elements"][0]["text"]
        self.assertNotIn("<at", lark["content"])
        self.assertNotIn("](", lark["content"])
        self.assertIn("&lt;at user&#95;id=", lark["content"])
        markdown = DingTalk(self.ding_url).payload(card)["markdown"]["text"]
        self.assertIn("\\<at", markdown)
        self.assertIn("\\[click\\](http://evil)", markdown)
        self.assertNotIn("**[", markdown)
        # Nobody's address slips in as a mention either.
        bad = dict(
            CARD, mentions=[{"name": "x", "mobile": "", "email": "a@b><at id=all"}]
        )
        self.assertNotIn("<at email", str(Feishu(self.feishu_url).payload(bad)))

    def test_wecom_content_shortened_to_2048_bytes_link_kept(self):
        card = dict(CARD, text="长" * 1000)
        client = WeCom(self.wecom_url)
        content = client.payload(card)["text"]["content"]
        self.assertLessEqual(len(content.encode()), 2048)
        self.assertTrue(content.endswith(CARD["link"][1]))
        self.assertIn("…", content)
        self.assertEqual(client.send(client.payload(card), time.time()).outcome, OK)

    # ------------------------------------------------------------ signatures
    def test_dingtalk_signature_as_dingtalk_checks_it(self):
        """DingTalk: HMAC-SHA256 of "timestamp\\nsecret" keyed by the
        secret, base64, URL-encoded, in the query with the timestamp in
        milliseconds."""
        client = DingTalk(self.ding_url, "SECdingsecret01")
        url, _payload = client.signed({}, 1767225600.123)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        self.assertEqual(query["timestamp"], ["1767225600123"])
        digest = hmac.new(
            b"SECdingsecret01", b"1767225600123\nSECdingsecret01", hashlib.sha256
        ).digest()
        self.assertEqual(query["sign"], [base64.b64encode(digest).decode()])
        self.assertIn("%", url.rsplit("sign=", 1)[1], "the signature is URL-encoded")
        # The platform verifies it; a wrong secret is refused as DingTalk does.
        self.assertEqual(client.send(client.payload(CARD), time.time()).outcome, OK)
        wrong = DingTalk(self.ding_url, "SECwrongsecret")
        answer = wrong.send(wrong.payload(CARD), time.time())
        self.assertEqual((answer.outcome, answer.code), (INVALID_ROBOT, 310000))
        self.assertIn("sign not match", answer.message)
        # A clock two hours off is refused as well.
        answer = client.send(client.payload(CARD), time.time() - 7200)
        self.assertEqual((answer.outcome, answer.code), (INVALID_ROBOT, 310000))
        # Unsigned, for a robot that signs: refused.
        unsigned = DingTalk(self.ding_url)
        answer = unsigned.send(unsigned.payload(CARD), time.time())
        self.assertEqual(answer.code, 310000)
        self.assertEqual(len(self.platforms.accepted("dingtalk")), 1)

    def test_feishu_signature_as_feishu_checks_it(self):
        """Feishu: HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty
        message, base64, in the body with the timestamp in seconds."""
        client = Feishu(self.feishu_url, "feishusecret01")
        _url, body = client.signed({"msg_type": "text"}, 1767225600.9)
        self.assertEqual(body["timestamp"], "1767225600")
        expected = hmac.new(b"1767225600\nfeishusecret01", b"", hashlib.sha256).digest()
        self.assertEqual(body["sign"], base64.b64encode(expected).decode())
        self.assertEqual(body["msg_type"], "text")
        self.assertEqual(client.send(client.payload(CARD), time.time()).outcome, OK)
        wrong = Feishu(self.feishu_url, "wrongsecret")
        answer = wrong.send(wrong.payload(CARD), time.time())
        self.assertEqual((answer.outcome, answer.code), (INVALID_ROBOT, 19021))
        answer = client.send(client.payload(CARD), time.time() - 7200)
        self.assertEqual((answer.outcome, answer.code), (INVALID_ROBOT, 19021))
        self.assertEqual(len(self.platforms.accepted("feishu")), 1)

    def test_wecom_has_no_signature_its_key_is_the_robot(self):
        client = WeCom(self.wecom_url)
        self.assertEqual(
            client.signed({"a": 1}, time.time()), (self.wecom_url, {"a": 1})
        )
        unknown = WeCom(self.platforms.url("wecom", "nobody"))
        answer = unknown.send(unknown.payload(CARD), time.time())
        self.assertEqual((answer.outcome, answer.code), (INVALID_ROBOT, 93000))

    # ------------------------------------------------------------ answers
    def test_unknown_token_and_hook_refuse_the_robot(self):
        for platform, code in (("dingtalk", 300005), ("feishu", 19001)):
            client = client_for(platform, self.platforms.url(platform, "gone"))
            answer = client.send(client.payload(CARD), time.time())
            self.assertEqual((answer.outcome, answer.code), (INVALID_ROBOT, code))

    def test_rate_limit_answers_pause_the_robot(self):
        secrets = {"dingtalk": "SECdingsecret01", "feishu": "feishusecret01"}
        # The platforms' own limits: WeCom and DingTalk 20 a minute, Feishu 5
        # a second.
        for platform, url, limit, code, pause in (
            ("wecom", self.wecom_url, 20, 45009, 60),
            ("dingtalk", self.ding_url, 20, 130101, 600),
            ("feishu", self.feishu_url, 5, 11232, 60),
        ):
            client = client_for(platform, url, secrets.get(platform))
            outcomes = {
                client.send(client.payload(CARD), time.time()).outcome
                for _i in range(limit)
            }
            self.assertEqual(outcomes, {OK}, platform)
            answer = client.send(client.payload(CARD), time.time())
            self.assertEqual((answer.outcome, answer.code), (RATE_LIMITED, code))
            self.assertEqual(answer.pause, pause)

    def test_malformed_message_is_rejected_not_retried(self):
        client = Feishu(self.feishu_url, "feishusecret01")
        answer = client.send({"msg_type": "interactive"}, time.time())
        self.assertEqual(
            (answer.outcome, answer.status, answer.code), (REJECTED, 400, 9499)
        )

    def test_server_error_is_retried(self):
        self.platforms.script((502, {"errcode": -1, "errmsg": "system busy"}))
        client = WeCom(self.wecom_url)
        answer = client.send(client.payload(CARD), time.time())
        self.assertEqual((answer.outcome, answer.status), (RETRY, 502))

    def test_platform_down_nothing_was_sent(self):
        self.platforms.down()
        client = WeCom(self.wecom_url)
        answer = client.send(client.payload(CARD), time.time())
        self.assertEqual(answer.outcome, RETRY)
        self.assertEqual(answer.describe(), "no connection: connection refused")

    def test_no_answer_may_have_been_posted(self):
        """Sent, then no answer within the client's time: the platform
        posted it (the fake says so), the client cannot know: UNKNOWN."""
        self.platforms.hang(1, 2.0)
        client = WeCom(self.wecom_url, timeout=0.5)
        answer = client.send(client.payload(CARD), time.time())
        self.assertEqual(answer.outcome, UNKNOWN)
        self.assertEqual(answer.describe(), "sent, no answer: timed out")
        self.assertEqual(len(self.platforms.accepted("wecom")), 1)

    def test_slow_platform_within_the_timeout_is_fine(self):
        self.platforms.delay = 0.3
        client = WeCom(self.wecom_url, timeout=2)
        self.assertEqual(client.send(client.payload(CARD), time.time()).outcome, OK)

    # ------------------------------------------------------------ the key
    def test_urls_checked_and_masked_and_errors_never_carry_the_key(self):
        for platform, url in (
            (
                "wecom",
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234-secretkey",
            ),
            (
                "dingtalk",
                "https://oapi.dingtalk.com/robot/send?access_token=tok0123456789xyz",
            ),
            (
                "feishu",
                "https://open.feishu.cn/open-apis/bot/v2/hook/hook-0123456789-xyz",
            ),
        ):
            client = client_for(platform, url)
            masked = client.masked_url()
            self.assertNotIn(client.key(), masked)
            self.assertTrue(masked.endswith(client.key()[-4:]))
        for platform, url in (
            ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"),
            ("dingtalk", "https://oapi.dingtalk.com/robot/send?token=x"),
            ("feishu", "https://open.feishu.cn/open-apis/bot/v2/"),
            ("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
            ("dingtalk", "oapi.dingtalk.com/robot/send?access_token=x"),
        ):
            with self.assertRaises(RobotUrlError, msg=url):
                client_for(platform, url)
        # An answer quoting the key back is scrubbed.
        self.platforms.script((200, {"errcode": 1, "errmsg": "bad key wk-1 in url"}))
        client = WeCom(self.wecom_url)
        answer = client.send(client.payload(CARD), time.time())
        self.assertNotIn("wk-1", answer.describe())
