"""The learner's command line: status, check, watch, reset, hints and its rendering."""
