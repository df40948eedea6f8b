"""summarize: a folder of Indonesian news articles → a cited English briefing, with local models.

Importing the package does no work: models, files and databases are touched only when a function
that needs them is called.
"""

__version__ = "0.1.0"
