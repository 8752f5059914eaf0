/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// Issue 20, item 4: the addon's tours wait on what they need, not on a
// 10-second guess. A step's trigger is the condition it needs (the web client
// booted, a record saved, a list loaded, a button's call answered) and the
// tour already waits for it; Odoo's limit on that wait is 10 s a step, which a
// server round-trip overruns on 2 busy cores (the first step, the web client
// loading its assets, did at a load of 12). Every step of the addon's tours
// may wait up to 60 s (the most Odoo's step schema allows): a step waits only
// as long as its condition takes, a step that never comes still fails. The
// Python tests give a whole tour its own limit (tests/tour_timing.py).
import { registry } from "@web/core/registry";

export const STEP_TIMEOUT = 60000;

/**
 * Registers the tour `name` like registry.category("web_tour.tours").add,
 * each of its steps waiting up to STEP_TIMEOUT for its trigger unless the
 * step says otherwise.
 */
export function addTour(name, tour) {
    const steps = tour.steps;
    return registry.category("web_tour.tours").add(name, {
        ...tour,
        steps: () => steps().map((step) => ({ timeout: STEP_TIMEOUT, ...step })),
    });
}
