"""Local tooling: the embedded AWS, the local server, packaging helpers. Never deployed."""
