"""Shared plumbing: database tuning, page-or-partial rendering, errors, time and money helpers."""
