"""Read a story folder and turn it into segmented articles: read, decode, clean, detect language, split sentences, find copies."""
