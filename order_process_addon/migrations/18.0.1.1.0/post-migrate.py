# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Segregation of duties on the default Finance and General Manager review
steps (their data is not updated: an admin may have changed them)."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE order_review_step step
           SET exclude_requester = TRUE
          FROM ir_model_data imd
         WHERE imd.model = 'order.review.step'
           AND imd.res_id = step.id
           AND imd.module = 'order_process_addon'
           AND imd.name IN ('review_step_finance', 'review_step_general_manager')
        """
    )
