"""The build engine: execute chapter notebooks with papermill, cache, publish atomically."""
