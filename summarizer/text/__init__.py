"""Language resources and text measures shared by every stage: lexicon, numbers, similarity."""
