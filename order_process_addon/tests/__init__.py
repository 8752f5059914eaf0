from . import test_install
from . import test_licenses
from . import test_access_matrix
from . import test_calendar
from . import test_settings_switch
from . import test_demo
from . import test_tour
