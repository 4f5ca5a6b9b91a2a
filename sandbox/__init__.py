"""Local stand-ins for outside platforms (LINE Messaging API) used by tests, benchmarks and demos."""
