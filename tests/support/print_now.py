"""Prints the bot's "now" (``bot.services.context.system_clock``): a probe for the timewarp launcher."""

from bot.services import context

print(context.system_clock().isoformat())
