"""Benchmarks of the webhook against bare baselines, run side by side (see bench/README.md)."""
