# order_process_addon: the two commands of the README, and the later ones.
#   make run        set up, then serve the demo database on http://localhost:8069
#   make test       set up, then the whole suite on a throw-away database
#   make test-odoo  Odoo's own sale/stock/mrp/account tests with the addon installed
#   make lint       ruff (lint + format check) and pylint-odoo (the OCA's Odoo checks)
#   make load       20 simulated users for 120 s against Odoo with workers,
#                   one worker killed and PostgreSQL restarted on the way
#                   (make load USERS=8 DURATION=40)
#   make cluster    a PostgreSQL primary + streaming replica (own sockets),
#                   the demo database with its history, an Odoo web node
#                   (workers, reads on the replica) and a cron node; Ctrl-C
#                   or make cluster-stop stops what it started
#   make load CLUSTER=1  make load against make cluster, with the replica
#                   restarted and its replay paused on the way, then two
#                   cron nodes at once and one killed mid-batch
#   make scale      a scratch copy of the demo database grown to N orders
#                   (default 100000; make scale N=5000 for a quick run):
#                   lists, steps and crons measured at N/100 and N
#   make bench      the achievement-rate dashboard on a scratch database of
#                   N orders (default 1000000; make bench N=20000 for a quick
#                   run): the addon's aggregation against one raw SQL
#                   GROUP BY and a naive per-order ORM loop
#   make screenshots  the main screens as PNGs in docs/screenshots/, made on
#                   a scratch demo database in headless Chromium as the
#                   role users (SHOTS_KEEP=1 keeps the database)
SHELL := /bin/bash
HTTP_PORT ?= 8069
export HTTP_PORT
USERS ?= 20
DURATION ?= 120
export USERS DURATION
# make load CLUSTER=1: against make cluster (scripts/cluster.sh)
export CLUSTER

# N: the size of make scale (default 100000) and make bench (1000000),
# their scripts' defaults when not given.
export N

.PHONY: run test test-odoo lint load cluster cluster-stop scale bench screenshots setup clean

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

test-odoo:
	@bash scripts/test_odoo.sh

load:
	@bash scripts/load.sh

cluster:
	@bash scripts/cluster.sh

cluster-stop:
	@bash scripts/cluster.sh stop

scale:
	@bash scripts/scale.sh

bench:
	@bash scripts/bench.sh

screenshots:
	@bash scripts/screenshots.sh

setup:
	@bash scripts/setup.sh

lint: setup
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .
	@.venv/bin/pylint --rcfile=.pylintrc --disable=missing-readme,consider-merging-classes-inherited \
		--score=n order_process_addon

clean:
	@bash -c 'source scripts/common.sh; for db in $$(psql -d postgres -tAc "select datname from pg_database where datname like '"'"'op\\_%'"'"' or datname = '"'"'order_process'"'"'"); do drop_db $$db; done'
	rm -rf .state
