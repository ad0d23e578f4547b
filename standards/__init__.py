"""Service scripts and behaviour rules, their versions and acknowledgments."""
