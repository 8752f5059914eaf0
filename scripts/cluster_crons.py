"""make cluster's cron check (issue 22, item 4): crons on two nodes at once.

Run by ``bash scripts/cluster.sh cron-check`` on a running cluster. Standard
library only; reads and writes the primary with psql.

1. Backlog: every pending review not yet escalated gets a deadline in the
   past (R4, R34: to escalate), the signed D12s are marked unsent (to e-mail
   to Finance again), the last frozen monthly review of each company is
   thawed (R31: to freeze), and every job of the addon is due now
   (escalations, D9/D12 drafting, D12 e-mail, at-risk, late scoring, D13,
   monthly freeze, holidays, improvement plans). Batches are made small
   (``order_process_addon.cron_batch_size``) so that each job runs in
   several committed batches.
2. Two cron nodes at once: make cluster's own and a second one
   (``cluster.sh cron cron2``), until no job of the addon is due.
3. Counted: the reviews escalated (= the backlog), the escalation to-dos per
   review and user, the D12 e-mails per statistics, the monthly reviews
   frozen per company and month, and, whatever the job, any to-do, message
   or e-mail created twice on the same record with the same content.
4. Killed mid-batch: a new backlog of reviews, one cron node; once its log
   shows a batch committed with work remaining, the node is killed
   (SIGKILL, its whole process group); counted then (part done, nothing
   twice); started again, it finishes the rest (counted again).

Prints a ``CRONS`` line; exits 1 when anything was done twice or left.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time

ESCALATION = "order_process_addon.mail_activity_type_escalation"
NOW = "(now() at time zone 'UTC')"  # Odoo's datetimes: UTC without zone
BATCH_KEY = "order_process_addon.cron_batch_size"


class Cluster:
    def __init__(self, env_path, script):
        with open(env_path) as env:
            self.env = dict(
                line.rstrip("\n").split("=", 1) for line in env if "=" in line
            )
        self.script = script
        self.work = os.path.dirname(env_path)

    def sql(self, query):
        done = subprocess.run(
            ["psql", "-X", "-qtA", "-F", "|", "-v", "ON_ERROR_STOP=1"]
            + ["-h", self.env["CLUSTER_SOCK"], "-p", self.env["CLUSTER_PG_PORT"]]
            + ["-d", self.env["CLUSTER_DB"], "-c", query],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"psql failed: {done.stderr.strip()}\n{query}")
        return [line.split("|") for line in done.stdout.splitlines() if line]

    def one(self, query):
        rows = self.sql(query)
        return int(rows[0][0]) if rows and rows[0][0] else 0

    def node(self, name):
        subprocess.run(["bash", self.script, "cron", name], check=True)
        with open(os.path.join(self.work, f"{name}.pid")) as pidfile:
            return int(pidfile.read())

    def kill(self, name, sig=signal.SIGKILL):
        path = os.path.join(self.work, f"{name}.pid")
        if not os.path.exists(path):
            return
        with open(path) as pidfile:
            pid = int(pidfile.read())
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pass
        if sig != signal.SIGKILL:
            for _ in range(40):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.5)
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.remove(path)

    # ------------------------------------------------------------ the jobs
    def addon_jobs(self):
        return (
            "SELECT c.id FROM ir_cron c JOIN ir_model_data d ON d.res_id = c.id"
            " AND d.model = 'ir.cron' AND d.module = 'order_process_addon'"
        )

    def make_due(self):
        self.sql(
            f"UPDATE ir_cron SET nextcall = {NOW} - interval '1 minute',"
            f" active = true WHERE id IN ({self.addon_jobs()})"
        )

    def wake(self):
        subprocess.run(
            ["psql", "-X", "-q", "-h", self.env["CLUSTER_SOCK"]]
            + ["-p", self.env["CLUSTER_PG_PORT"], "-d", "postgres"]
            + ["-c", f"NOTIFY cron_trigger, '{self.env['CLUSTER_DB']}'"],
            check=False,
        )

    def wait_ready(self, names, limit=180):
        """Until each node has loaded the database's registry: one of its
        processes holds a connection to the database (application_name
        odoo-<pid>), or ``limit`` s."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            connected = {
                row[0]
                for row in self.sql(
                    "SELECT application_name FROM pg_stat_activity"
                    " WHERE datname = current_database()"
                )
            }
            ready = 0
            for name in names:
                with open(os.path.join(self.work, f"{name}.pid")) as pidfile:
                    group = pidfile.read().strip()
                pids = subprocess.run(
                    ["ps", "-o", "pid=", "-g", group],
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout.split()
                ready += any(f"odoo-{pid}" in connected for pid in pids)
            if ready == len(names):
                return True
            time.sleep(2)
        return False

    def processed(self, name):
        """Per job, the records a node's log says it processed."""
        counts = {}
        try:
            with open(os.path.join(self.work, f"{name}.log"), errors="replace") as log:
                for m in re.finditer(r"\((\d+)\) processed (\d+) records", log.read()):
                    counts[m.group(1)] = counts.get(m.group(1), 0) + int(m.group(2))
        except OSError:
            pass
        return counts

    def due(self):
        return self.one(
            f"SELECT count(*) FROM ir_cron WHERE active AND id IN ({self.addon_jobs()})"
            " AND nextcall <= (now() at time zone 'UTC')"
        )

    def wait_done(self, limit=900):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if not self.due():
                return True
            time.sleep(3)
        return False

    # ------------------------------------------------------------ backlog
    def overdue_backlog(self, limit=None):
        cap = f"LIMIT {limit}" if limit else ""
        rows = self.sql(
            f"UPDATE order_review SET deadline = {NOW} - interval '2 days'"
            " WHERE id IN (SELECT id FROM order_review WHERE state = 'pending'"
            " AND NOT coalesce(escalated, false)"
            f" AND deadline >= {NOW} ORDER BY id {cap})"
            " RETURNING id"
        )
        return [int(r[0]) for r in rows]

    def pending_overdue(self):
        return self.one(
            "SELECT count(*) FROM order_review WHERE state = 'pending'"
            f" AND NOT coalesce(escalated, false) AND deadline < {NOW}"
        )

    # ------------------------------------------------------------ counts
    def twice(self, since):
        """Whatever the job: rows created twice on one record with the same
        content since ``since``."""
        activities = self.one(
            "SELECT count(*) FROM (SELECT 1 FROM mail_activity"
            f" WHERE create_date >= '{since}'"
            " GROUP BY res_model, res_id, activity_type_id, user_id, summary,"
            " coalesce(note::text, '') HAVING count(*) > 1) t"
        )
        messages = self.one(
            "SELECT count(*) FROM (SELECT 1 FROM mail_message"
            f" WHERE create_date >= '{since}' AND model IS NOT NULL"
            " AND coalesce(body::text, '') <> ''"
            " GROUP BY model, res_id, message_type, coalesce(subject, ''),"
            " coalesce(body::text, '') HAVING count(*) > 1) t"
        )
        # An e-mail: its record, subject, body, addressees (e-mail, partners).
        mails = self.one(
            "SELECT count(*) FROM (SELECT 1 FROM mail_mail m JOIN mail_message g"
            f" ON g.id = m.mail_message_id WHERE m.create_date >= '{since}'"
            " GROUP BY g.model, g.res_id, coalesce(g.subject, ''),"
            " coalesce(m.email_to, ''), coalesce(m.body_html, ''),"
            " (SELECT array_agg(r.res_partner_id"
            " ORDER BY r.res_partner_id) FROM mail_mail_res_partner_rel r"
            " WHERE r.mail_mail_id = m.id) HAVING count(*) > 1) t"
        )
        return activities, messages, mails

    def escalation_twice(self):
        return self.one(
            "SELECT count(*) FROM (SELECT 1 FROM mail_activity a"
            " JOIN ir_model_data d ON d.res_id = a.activity_type_id"
            " AND d.model = 'mail.activity.type'"
            f" AND d.module || '.' || d.name = '{ESCALATION}'"
            " WHERE a.op_review_id IS NOT NULL"
            " GROUP BY a.op_review_id, a.user_id HAVING count(*) > 1) t"
        )

    def escalated(self, ids):
        if not ids:
            return 0
        return self.one(
            "SELECT count(*) FROM order_review WHERE escalated AND id IN"
            f" ({','.join(map(str, ids))})"
        )

    def now(self):
        return self.sql("SELECT now() at time zone 'UTC'")[0][0]


def log_has_remaining(path, offset):
    """A batch committed with work left: Odoo's 'processed N records, M
    records remaining' with M > 0, after ``offset`` in the log."""
    try:
        with open(path, errors="replace") as log:
            log.seek(offset)
            text = log.read()
    except OSError:
        return False
    return any(
        int(m.group(1)) > 0 and int(m.group(2)) > 0
        for m in re.finditer(r"processed (\d+) records, (\d+) records remaining", text)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--batch", type=int, default=1)
    args = parser.parse_args()
    cl = Cluster(args.env, args.script)
    out, bad = [], 0

    # ---------------------------------------------------- two nodes at once
    cl.kill("cron", signal.SIGTERM)  # the cluster's own node: started again below
    cl.sql(
        "INSERT INTO ir_config_parameter (key, value, create_uid, write_uid,"
        f" create_date, write_date) VALUES ('{BATCH_KEY}', "
        f"'{args.batch}', 1, 1, now(), now()) ON CONFLICT (key) DO UPDATE SET value ="
        " EXCLUDED.value"
    )
    since = cl.now()
    # Half the pending reviews now, the other half for the kill below.
    candidates = cl.one(
        "SELECT count(*) FROM order_review WHERE state = 'pending'"
        f" AND NOT coalesce(escalated, false) AND deadline >= {NOW}"
    )
    if candidates < 2:
        raise SystemExit(
            "No pending review left to escalate: run it after a load run "
            "(make load CLUSTER=1 runs it) or on a database with open reviews."
        )
    already = [
        int(r[0])
        for r in cl.sql(
            "SELECT id FROM order_review WHERE state = 'pending'"
            f" AND NOT coalesce(escalated, false) AND deadline < {NOW}"
        )
    ]
    reviews = already + cl.overdue_backlog(limit=max(1, (candidates + 1) // 2))
    unsent = cl.one(
        "WITH u AS (UPDATE order_shipment_statistics SET sent_on = NULL"
        " WHERE state = 'signed' AND sent_on IS NOT NULL RETURNING id)"
        " SELECT count(*) FROM u"
    )
    thawed = cl.one(
        "WITH u AS (UPDATE order_monthly_review r SET state = 'draft',"
        " frozen_on = NULL, frozen_by_id = NULL"
        " WHERE r.state = 'frozen' AND r.month_start = (SELECT max(month_start)"
        " FROM order_monthly_review x WHERE x.company_id = r.company_id"
        " AND x.state = 'frozen') RETURNING id) SELECT count(*) FROM u"
    )
    cl.make_due()
    out.append(
        f"backlog: {len(reviews)} overdue reviews, {unsent} signed D12s unsent, "
        f"{thawed} monthly reviews thawed, {cl.due()} jobs of the addon due; "
        f"batches of {args.batch}"
    )
    # Both nodes up and polling first, then every job due at once and both
    # woken (NOTIFY cron_trigger, what Odoo's own triggers send): they race.
    cl.sql(
        f"UPDATE ir_cron SET nextcall = {NOW} + interval '1 hour'"
        f" WHERE id IN ({cl.addon_jobs()})"
    )
    cl.node("cron")
    cl.node("cron2")
    ready = cl.wait_ready(("cron", "cron2"))
    cl.make_due()
    start = time.monotonic()
    cl.wake()
    finished = cl.wait_done()
    out.append(f"both cron nodes connected before the jobs fell due: {ready}")
    out.append(
        f"two cron nodes: all jobs run in {time.monotonic() - start:.0f} s: {finished}"
    )
    for name in ("cron", "cron2"):
        done = {job: n for job, n in cl.processed(name).items() if n}
        out.append(f"  {name} processed (job id: records): {done or 'none'}")
    time.sleep(5)  # a job's last batch commits after its nextcall moves
    escalated = cl.escalated(reviews)
    sent = cl.one(
        "SELECT count(*) FROM order_shipment_statistics WHERE state = 'signed'"
        " AND sent_on IS NOT NULL"
    )
    d12_mails = cl.sql(
        "SELECT count(*), count(DISTINCT g.res_id) FROM mail_mail m"
        " JOIN mail_message g ON g.id = m.mail_message_id"
        " WHERE g.model = 'order.shipment.statistics'"
        f" AND m.create_date >= '{since}'"
    )[0]
    frozen = cl.one(
        f"SELECT count(*) FROM order_monthly_review WHERE frozen_on >= '{since}'"
    )
    months_twice = cl.one(
        "SELECT count(*) FROM (SELECT 1 FROM order_monthly_review GROUP BY company_id,"
        " month_start HAVING count(*) > 1) t"
    )
    activities, messages, mails = cl.twice(since)
    esc_twice = cl.escalation_twice()
    out.append(
        f"escalated {escalated} of {len(reviews)} (escalation to-dos twice: "
        f"{esc_twice}); D12 sent {sent} of {unsent}+ (e-mails {d12_mails[0]} on "
        f"{d12_mails[1]} statistics); monthly reviews frozen {frozen} of {thawed} "
        f"(a company-month twice: {months_twice}); created twice on one record: "
        f"to-dos {activities}, messages {messages}, e-mails {mails}"
    )
    twice_total = esc_twice + months_twice + activities + messages + mails
    bad += twice_total + (len(reviews) - escalated) + max(0, thawed - frozen)
    bad += 0 if finished else 1
    cl.kill("cron2", signal.SIGTERM)

    # ---------------------------------------------------- killed mid-batch
    cl.kill("cron", signal.SIGTERM)
    since2 = cl.now()
    batch2 = max(args.batch, 1)
    more = cl.overdue_backlog()
    if len(more) < 3 * batch2:
        # Few pending reviews left: smaller batches, so that the job still
        # runs in several.
        batch2 = max(1, len(more) // 3)
        cl.sql(
            f"UPDATE ir_config_parameter SET value = '{batch2}'"
            f" WHERE key = '{BATCH_KEY}'"
        )
    cl.make_due()
    log = os.path.join(cl.work, "cron.log")
    cl.node("cron")
    offset = 0  # cron.log starts empty with the node
    killed = False
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and len(more) > 1:
        if cl.escalated(more) == len(more):
            break  # done before a batch was seen with work remaining
        if log_has_remaining(log, offset):
            cl.kill("cron")  # SIGKILL, the whole node, mid-job
            killed = True
            break
        time.sleep(0.2)
    if not killed:
        cl.kill("cron", signal.SIGTERM)  # started again below, by its pidfile
    time.sleep(2)
    part = cl.escalated(more)
    twice_mid = cl.escalation_twice() + sum(cl.twice(since2))
    out.append(
        f"killed mid-batch: {killed}; {part} of {len(more)} escalated when killed "
        f"(batches of {batch2}), twice: {twice_mid}"
    )
    cl.node("cron")
    finished2 = cl.wait_done()
    time.sleep(5)
    after = cl.escalated(more)
    twice_after = cl.escalation_twice() + sum(cl.twice(since2))
    out.append(
        f"started again: {after} of {len(more)} escalated, finished: {finished2}, "
        f"twice: {twice_after}, overdue left: {cl.pending_overdue()}"
    )
    if not killed:
        out.append(
            f"  not killed: {len(more)} pending review(s) left for it, done before "
            "a batch with work remaining was seen (a larger load leaves more)"
        )
    bad += twice_mid + twice_after + (len(more) - after)
    bad += 0 if finished2 else 1
    cl.sql(f"DELETE FROM ir_config_parameter WHERE key = '{BATCH_KEY}'")
    print("\n".join(out))
    print(
        f"CRONS nodes=2 escalated={escalated + after}/{len(reviews) + len(more)} "
        f"d12_sent={sent} frozen={frozen}/{thawed} twice={twice_total + twice_after} "
        f"killed_mid_batch={int(killed)} resumed={after}/{len(more)} problems={bad}"
    )
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
