"""Models of the access app (computed access times, siting scenarios)."""
