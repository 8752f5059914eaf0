from . import demo_history, portal
