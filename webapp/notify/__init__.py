"""Notifications: the transactional outbox, web push, customer SMS and the 48-hour alarm."""
