"""Group robots: adapters per vendor, alerts from order events, rate-limited delivery, admin and CLI."""
