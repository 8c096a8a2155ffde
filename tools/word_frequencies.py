"""Write generator/site/related_words.txt: in how many papers of an archive each word occurs.

Related papers (generator/site/related.py) weigh words by these frequencies, fixed with the
code rather than read from the archive being built, so that a new day does not move
every paper's neighbours. The shipped table is made from the shipped archive (real
abstracts of Hugging Face Daily Papers); words in fewer than MIN_PAPERS papers are left
out (related.py treats a word it does not know as rarer than any it knows).

    python -m tools.word_frequencies [PROJECT]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from generator.archive import store
from generator.project import Project
from generator.site.related import WORD, WORDS_FILE, document

MIN_PAPERS = 2


def frequencies(texts: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(WORD.findall(text.lower())))
    return counts


def main(argv: list[str]) -> int:
    project = Project(Path(argv[0]) if argv else Path.cwd())
    papers = store.read_archive(project).papers
    counts = frequencies([document(p) for p in papers])
    rows = sorted((w, n) for w, n in counts.items() if n >= MIN_PAPERS)
    lines = [f"# papers {len(papers)}", *(f"{w}\t{n}" for w, n in rows)]
    WORDS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{WORDS_FILE.name}: {len(rows)} words from {len(papers)} papers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
