"""From summaries to a verified briefing: sources, composition, citation checking, figures."""
