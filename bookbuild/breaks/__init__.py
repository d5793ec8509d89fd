"""Lost scene breaks: boundary features, a small trained scorer, and the corpus it learns from."""
