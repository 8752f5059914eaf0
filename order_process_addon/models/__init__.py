from . import res_company
from . import res_config_settings
from . import resource_calendar
from . import crm_team
from . import res_partner
from . import product_template
from . import sale_order
