"""Integrations with host web frameworks. Each needs its extra (``policypad[django]``); the
rest of PolicyPad never imports them."""
