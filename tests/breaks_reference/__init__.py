"""The boundary features as first shipped (main 160b341), kept as the slow reference.

``features.chapter_table`` here computes every boundary on its own (set unions over each window,
one dict per boundary). bookbuild/breaks/ now computes the same figures from running counts, a
column at a time; users' decisions, confidences and override keys depend on the two agreeing to
the last bit, which tests/test_breaks_reference.py checks. Only tests import this.
"""
