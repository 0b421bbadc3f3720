"""Tests of the operations domain: backups, metrics, request logs, readiness."""
