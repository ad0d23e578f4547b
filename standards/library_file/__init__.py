"""The standards library file (YAML): reading it safely and reporting what is wrong with it."""
