"""Running folders end to end: the per-folder pipeline, batches of folders and their state."""
