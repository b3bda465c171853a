"""Views of the core, one module per area: diarium, remiss, work (inbox and PDFs)."""
