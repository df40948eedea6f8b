"""Writers that turn a briefing record into files, each written atomically."""
