# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the tests of the group robots (issue 21) share: the three platforms
played locally (``robot_platforms``), robots pointing at them, and the two
moments of the outbox: the step's COMMIT (its pre-commit hook writes the
rows) and a run of the sending job.

The job commits in transactions of its own (claim, then the answer): the
tests run it in Odoo's test mode, where those are savepoints of the test's
transaction, rolled back with it."""

import itertools

from .robot_platforms import FakePlatforms

_keys = itertools.count(1)
# The role users' names and e-mails on the cards (Feishu @-mentions by
# e-mail).
PEOPLE = {
    "sales": "Wang Qiang",
    "customer_mgmt": "Li Na",
    "technical": "Zhang Wei",
    "pmc_planner": "Liu Yang",
    "pmc_material": "Chen Jing",
    "pmc_clerk": "Yang Min",
    "fg_warehouse": "Zhao Lei",
    "pmc_manager": "Huang Yong",
    "purchasing": "Zhou Fang",
    "production": "Wu Gang",
    "quality": "Xu Li",
    "administration": "Sun Tao",
    "finance": "Ma Lin",
    "audit": "Zhu Jun",
    "general_manager": "Hu Jianguo",
}


class RobotFixture:
    """Mixed into a case of ``common`` (before it in the bases)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platforms = FakePlatforms()
        cls.addClassCleanup(cls.platforms.close)
        cls.Outbox = cls.env["order.robot.outbox"]
        for role, name in PEOPLE.items():
            cls.users[role].write(
                {"name": name, "email": name.lower().replace(" ", ".") + "@example.com"}
            )

    def setUp(self):
        super().setUp()
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        # The robots the platforms know, as the class made them.
        known = self.__class__.__dict__.get("_known_robots")
        if known is None:
            self.__class__._known_robots = dict(self.platforms.robots)
        else:
            self.platforms.robots = dict(known)
        self.platforms.clear()
        self.platforms.up()
        self.platforms.delay = 0
        self.platforms.limits = True

    @classmethod
    def _robot(cls, platform, roles, lang="en_US", signed=True, company=None, **vals):
        """A robot of ``company`` for the departments of ``roles``, known to
        the local platform, sending at any hour unless told otherwise."""
        number = next(_keys)
        secret = None
        if signed and platform == "dingtalk":
            secret = f"SECtestsecret{number:04d}"
        elif signed and platform == "feishu":
            secret = f"feishusecret{number:04d}"
        url = cls.platforms.add(platform, f"{platform}-key-{number:04d}", secret)
        return cls.env["order.robot"].create(
            {
                "name": f"{platform} robot {number}",
                "company_id": (company or cls.company).id,
                "platform": platform,
                "group_ids": [
                    (
                        6,
                        0,
                        [
                            cls.env.ref(f"order_process_addon.group_{r}").id
                            for r in roles
                        ],
                    )
                ],
                "lang": lang,
                "webhook_url_input": url,
                "secret_input": secret,
                "working_time_only": False,
                **vals,
            }
        )

    @staticmethod
    def _key(robot):
        """The robot's key on the local platform (its URL carries it)."""
        return robot._op_client().key()

    def _commit(self):
        """What the step's COMMIT runs first: its pre-commit hooks (the
        rows of the events it raised are written then)."""
        self.env.cr.flush()

    def _send(self, now=None, batch=None):
        handled = self.Outbox._op_send_due(now=now, batch=batch)
        self.env.invalidate_all()
        return handled

    def _rows(self, robot=None, event=None):
        domain = []
        if robot:
            domain.append(("robot_id", "in", robot.ids))
        if event:
            domain.append(("event_id.code", "=", event))
        return self.Outbox.search(domain, order="id")

    def _received(self, robot):
        """What the robot's group got."""
        return self.platforms.accepted(robot.platform, self._key(robot))
