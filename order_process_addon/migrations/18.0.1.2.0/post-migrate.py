# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 19: the achievement rate counts only what left through the
shipping steps (R29). Deliveries of the process that left before this
version went through the same checks at validation (an approved D10, a
signed D11, a passed gate check): they are stamped as such, so that the
history scores as before."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE stock_picking picking
           SET op_left_through = 'steps'
         WHERE picking.op_process_delivery
           AND picking.state = 'done'
           AND picking.op_left_through IS NULL
           AND EXISTS (SELECT 1 FROM order_shipping_order d10
                        WHERE d10.picking_id = picking.id AND d10.state = 'approved')
           AND EXISTS (SELECT 1 FROM order_loading_check d11
                        WHERE d11.picking_id = picking.id AND d11.state = 'signed')
           AND EXISTS (SELECT 1 FROM order_gate_check gate
                        WHERE gate.picking_id = picking.id AND gate.state = 'valid'
                          AND gate.result = 'pass')
        """
    )
