# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The group robots of WeCom, DingTalk and Feishu (issue 21): three small
clients, standard library only (no Odoo import), so that what they send can
be checked against the platforms' own rules by the local fake platforms of
the tests and of ``make load``.

Why three small clients and not ``apprise`` (which speaks all three): its
DingTalk and WeCom plugins judge an answer by its HTTP status, but these
platforms answer HTTP 200 with an ``errcode`` (an invalid token, a rate
limit and a refused signature all look like success there); its Feishu
plugin does not sign; a send returns only True or False, so a rate limit, a
revoked key and a network failure cannot be told apart; it sleeps in the
process to throttle instead of queueing; and it logs the webhook URL (the
key) at debug level. What the outbox needs is the opposite on each point, in
about 300 lines.
"""

from .base import (
    INVALID_ROBOT,
    OK,
    RATE_LIMITED,
    REJECTED,
    RETRY,
    UNKNOWN,
    Answer,
    RobotUrlError,
)
from .dingtalk import DingTalk
from .feishu import Feishu
from .wecom import WeCom

PLATFORMS = {client.platform: client for client in (WeCom, DingTalk, Feishu)}


def client_for(platform, url, secret=None, **kwargs):
    """The client of ``platform`` ('wecom', 'dingtalk', 'feishu') for a
    robot's webhook ``url`` and signing ``secret``."""
    return PLATFORMS[platform](url, secret=secret, **kwargs)
