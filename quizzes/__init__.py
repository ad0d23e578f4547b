"""Quizzes: the question bank, quizzes, attempts graded on the server, daily practice and item
analysis.
"""
