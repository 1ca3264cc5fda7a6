"""The demo blog `make run` shows: invented coverage, published live through the actions."""
