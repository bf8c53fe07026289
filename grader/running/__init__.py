"""Running kata tests: the pytest plugin, the code under test, child and warm runs, limits on learner code."""
