// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { NameAndSignature } from "@web/core/signature/name_and_signature";
import { patch } from "@web/core/utils/patch";
import { renderToString } from "@web/core/utils/render";

// Chinese, Japanese and Korean characters, full-width forms included.
const WIDE_CHARACTER =
    /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

/**
 * The width of ``text`` in em: a wide character is one em, another about
 * half of one.
 */
export function textWidthInEm(text) {
    const wide = (text.match(WIDE_CHARACTER) || []).length;
    return wide + (text.length - wide) * 0.55;
}

/**
 * The signature a customer signs with by typing a name (the portal's
 * "auto" signature; the signature fields of the web client too), legible
 * for a Chinese name (issue 18, item 2):
 *
 * - Odoo drew every name in a Latin handwriting font squeezed into the
 *   width of as many Latin letters (``web.sign_svg_text``): a Chinese name,
 *   which that font does not have, came out as narrow glyphs of whatever
 *   font the browser fell back to. A name with CJK characters is drawn at
 *   its natural width, in a Chinese script font of the signer's system
 *   (Kaiti where there is one), sized to fit the pad.
 * - Odoo cleared the pad, then drew each name's image once it had loaded:
 *   the name the portal fills in (the customer's) and each name typed after
 *   it loaded concurrently, and a late one was drawn over the newer ones,
 *   glyphs over glyphs. Only the last image asked for is drawn now.
 */
patch(NameAndSignature.prototype, {
    setup() {
        super.setup(...arguments);
        this.opDrawSerial = 0;
    },

    clear() {
        // An image still loading is not drawn over what replaced it.
        this.opDrawSerial++;
        super.clear(...arguments);
    },

    async printImage(imgSrc) {
        const serial = ++this.opDrawSerial;
        const image = new Image();
        image.onload = () => {
            if (serial !== this.opDrawSerial) {
                return;
            }
            this.clear();
            const canvas = this.signaturePad.canvas;
            const scale = Math.min(canvas.width / image.width, canvas.height / image.height);
            const width = image.width * scale;
            const height = image.height * scale;
            canvas
                .getContext("2d")
                .drawImage(
                    image,
                    (canvas.width - width) / 2,
                    (canvas.height - height) / 2,
                    width,
                    height
                );
            this.signaturePad._isEmpty = false;
            this.props.signature.isSignatureEmpty = this.isSignatureEmpty;
            this.props.onSignatureChange(this.state.signMode);
        };
        image.src = imgSrc;
    },

    getSVGText(font, text, width, height) {
        if (!text || !text.match(WIDE_CHARACTER)) {
            return super.getSVGText(...arguments);
        }
        const fontSize = Math.min((height * 3) / 5, (width * 0.85) / textWidthInEm(text));
        const svg = renderToString("order_process_addon.sign_svg_text_wide", {
            width,
            height,
            font,
            text,
            fontSize,
            baseline: height / 2 + fontSize * 0.35,
            color: this.props.fontColor,
        });
        return "data:image/svg+xml," + encodeURI(svg);
    },
});
