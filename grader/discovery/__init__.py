"""What exists: the curriculum, the katas on disk, naming one, where things live."""
