"""Helpers that the tests and the benchmarks share (the demo loader uses `bodies`).

- `bodies`: short builders of article bodies (paragraph, bullets, table).
- `factories`: factory_boy factories and `make_article` (small and large bodies).
- `servers`: throwaway PostgreSQL, Redis, gunicorn and nginx on loopback.
- `legacy_articles`: generated legacy HTML and markdown for the importer.
- `import_corpus`: legacy documents with their tables, scored cell by cell.
"""
