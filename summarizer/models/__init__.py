"""Models: the family table, the registry, the local store, offline loading, engine choice,
batching and CTranslate2 conversion."""
