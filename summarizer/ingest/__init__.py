"""Read a story folder into segmented articles: read, decode, clean, detect language, split, find copies."""
