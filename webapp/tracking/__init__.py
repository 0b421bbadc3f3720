"""The customer tracking page: a signed, revocable link per order, no login."""
