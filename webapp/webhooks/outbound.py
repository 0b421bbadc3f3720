"""Outgoing calls of the webhook and carrier senders: the one rule in webapp.core.outbound, under its old name.

Push, webhooks, robots and carriers share that rule (allowed hosts, no private addresses, the
checked address pinned); this module only keeps `from webapp.webhooks import outbound` working.
"""
from webapp.core.outbound import Refused, Target, post, resolve

__all__ = ["Refused", "Target", "post", "resolve"]
