"""The change feed: the events table is the truth; brokers only say "blog X moved on"."""
