"""Registers the workshop's pytest plugin: the step header and the next-task line."""

pytest_plugins = ["workshop.pytest_plugin"]
