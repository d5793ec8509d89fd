"""Shared tests and word lists behind the structure transforms (notes, chapters, scene breaks)."""
