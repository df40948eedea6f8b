"""Summarizer implementations behind the interface in summarizer/summarizers/base.py."""
