"""Offline PWA: manifest, service worker, the 24-hour copy, idempotent replay, paper fallback."""
