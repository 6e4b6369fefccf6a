"""Access to help: time from each commune to the nearest help, coverage, siting of new points."""
