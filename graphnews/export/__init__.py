"""Stage 5: writing what was built: graph files, reports, HTML pages."""
