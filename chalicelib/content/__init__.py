"""Content Stride ships as data: the built-in assessment and the exercise catalogue."""
