"""Indonesian → English translation, sentence by sentence, with guards on every output."""
