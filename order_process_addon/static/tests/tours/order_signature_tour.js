/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";

/**
 * The width and height of what is drawn on ``canvas``, or null when
 * nothing is.
 */
function inkBox(canvas) {
    const { width, height } = canvas;
    const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    let [left, top, right, bottom] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            if (pixels[(y * width + x) * 4 + 3]) {
                left = Math.min(left, x);
                right = Math.max(right, x);
                top = Math.min(top, y);
                bottom = Math.max(bottom, y);
            }
        }
    }
    return right < 0 ? null : { width: right - left + 1, height: bottom - top + 1 };
}

// The customer signs on the portal with the name typed in Chinese, drawn
// by the signature pad (R8, issue 18 item 2).
addTour("order_process_cjk_signature_tour", {
    steps: () => [
        {
            content: "Open the signature dialog",
            trigger: 'a[data-bs-target="#modalaccept"]',
            run: "click",
        },
        {
            content: "Type the signer's name over the customer's",
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "edit 陈小姐",
        },
        {
            content: "The pad shows the three characters typed, and only them",
            trigger: ".modal .o_web_sign_signature",
            async run() {
                for (let attempt = 0; attempt < 100; attempt++) {
                    const box = inkBox(this.anchor);
                    if (box && box.width / box.height < 5) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                throw new Error("The pad does not show the typed name alone.");
            },
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "Signed: the page shows the confirmed order",
            trigger: "#quote_content:not(:has(.modal.show))",
        },
    ],
});
