"""Benchmarks: each prints figures and ratios; none is a pass/fail test."""
