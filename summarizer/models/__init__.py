"""The model registry, the local store, offline loading and engine conversion."""
