"""Parcel tracking at an aggregator (快递100): subscribe on hand-over, signed callbacks, polling, problems."""
