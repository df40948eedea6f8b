"""Summarizer implementations behind the interface in summarizer/summarize.py."""
