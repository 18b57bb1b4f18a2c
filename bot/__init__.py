"""A Slack bot that runs the check-ins of a virtual sales team."""

__version__ = "0.1.0"
