"""The benchmark: generated manuscripts, measurement and the runner (see run.py)."""
