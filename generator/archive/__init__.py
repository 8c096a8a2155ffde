"""The archive half: everything that changes data/.

sources/ (one parser per input format, and the one HTTP client) → merge.py (one paper per
identity, nothing dropped) → store.py (the only code that reads or writes data/), with the
checks of the hand-edited files (hand_edited.py, sources_file.py), data/ read whole and
checked (checked.py), and the commands that change the archive (commands.py: import,
enrich, validate, stats; fetch.py). Nothing here imports the site half.
"""
