"""Candor: a static status page and postmortem site generator."""

__version__ = "0.1.0"
