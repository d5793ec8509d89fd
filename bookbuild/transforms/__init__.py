"""Transforms: pure functions ``(Book, BuildConfig) -> (Book, [Decision])``.

The order they run in is written down once, in :mod:`bookbuild.pipeline`; ``Decision`` and
``Transform`` live in :mod:`bookbuild.decisions`, below every layer that records decisions.
"""
