# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 20, item 4: the tours wait on what they need, not on a guess.

Each step of the addon's tours waits up to 60 s for its trigger, the
condition it needs (static/tests/tours/tour_wait.js): a step that never comes
fails its tour within a minute. Odoo's ``start_tour`` also gives the whole
tour 60 s (and the web client 60 s to be ready for it): a tour of a dozen
server round-trips overruns that on 2 busy cores although every step comes.
``TOUR_TIMEOUT`` is the whole tour's limit in the tests: it only bounds the
sum of slow steps that each come."""

TOUR_TIMEOUT = 600
