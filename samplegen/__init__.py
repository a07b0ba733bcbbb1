"""Deterministic generator of sample scans with ground truth (see __main__)."""
