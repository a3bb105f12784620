"""Candor: a static status page and postmortem site generator."""

__version__ = "0.2.0"
