from . import order_review_decision_wizard
from . import order_answer_wizard
from . import order_signature_wizard
from . import order_commitment_change_wizard
from . import order_fg_receipt_count_wizard
from . import order_reason_wizard
from . import order_carrier_booking_wizard
from . import order_robot_secret_wizard
