"""Rendering shared by both editions: model sections as XHTML elements (layer 2, below the writers)."""
