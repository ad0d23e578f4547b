"""Training: modules built on the standards, assignments that follow people, progress,
certificates and refreshers.
"""
