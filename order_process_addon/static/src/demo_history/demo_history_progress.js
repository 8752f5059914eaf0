// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// How often the notice asks again while the history is being made.
const REFRESH_MS = 20000;

/**
 * The demo history's progress in the top bar (issue 20, item 4): while
 * the first `make run` makes the demo year beside the server, its users see
 * how far it is; the notice is gone when the year is done. Asked once when
 * the web client starts, then again only while the year is being made.
 */
export class DemoHistoryProgress extends Component {
    static template = "order_process_addon.DemoHistoryProgress";
    static props = {};

    setup() {
        this.state = useState({ text: "", title: "" });
        this.timer = null;
        onWillStart(() => this.refresh());
        onWillUnmount(() => browser.clearTimeout(this.timer));
    }

    async refresh() {
        let result = {};
        try {
            result = await rpc("/order_process_addon/demo_history_progress", {}, {
                silent: true,
            });
        } catch {
            // The server restarting: the notice keeps what it said.
            result = { running: Boolean(this.state.text), ...this.state };
        }
        this.state.text = result.text || "";
        this.state.title = result.title || "";
        if (result.running) {
            this.timer = browser.setTimeout(() => this.refresh(), REFRESH_MS);
        }
    }
}

registry
    .category("systray")
    .add("order_process_addon.demo_history_progress", { Component: DemoHistoryProgress }, {
        sequence: 100,
    });
