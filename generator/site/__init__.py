"""The site half: data/ in, a searchable site out; it never writes data/.

load.py (data/ through the store, topics decided: classify.py) → arranged.py (the
archive arranged as the site shows it) → render/ (pure: page texts, the JSON API, the
search trees) → generate.py and write.py (docs/ and the search trees, only what
changed: search_index.py keeps the trees) → build.py (the build sequence: MkDocs through
mkdocs_glue.py and hooks.py), with what a build keeps between runs in
buildfolder.py and the caches beside it. commands.py holds the site's commands.
"""
