"""RIS records of papers, for reference managers (Zotero, EndNote, Mendeley): a day's file
of them beside its page (`days/YYYY/MM/DD/papers-YYYY-MM-DD.ris`, linked from the page),
which the reading list (/saved/) also copies its records from, so that both say what the
archive says.

RIS has no escaping: a tag's value runs to the end of its line. Record text is folded
to one line without control characters, and TeX escapes are read as the characters they
stand for, as on the pages. The fields are those of the card's BibTeX entry
(render/bibtex.py): title, every author, year, arXiv id, DOI and URL; `ID` is the
almanac's own paper id, which the reading list finds a record by.

A day's file holds one record per card of its page, in the page's order: its own papers,
then those featured again that day (Archive.cards_on gives both the same list).

Authors are written "Last, First", as RIS has them: Zotero's RIS reader splits a name at
its first comma only, and reads a name without one as a single field (an organisation),
so "Grace Hopper" would stay one unsorted name. The split is BibTeX's "First von Last":
the surname is the last word, with the lowercase particles before it ("Katharina von der
Wense" is "von der Wense, Katharina"). A single word ("Linus", "NVIDIA") stays whole, and
so does a name that has a comma already.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from generator.models import Paper
from generator.site.render.bibtex import year
from generator.site.render.html import strip_controls
from generator.site.render.tex import plain

# "UNPB" (unpublished work) is RIS's type for a preprint; Zotero reads it as a manuscript.
PREPRINT = "UNPB"
JOURNAL = "JOUR"  # a paper arXiv says was published (a journal reference)


def file_name(day: date) -> str:
    return f"papers-{day.isoformat()}.ris"


def one_line(text: str) -> str:
    return " ".join(strip_controls(text).split())


def author(name: str) -> str:
    """A name as RIS writes it: "Last, First" (see above); one line, "" for no name."""
    name = one_line(name)
    words = name.split(" ")
    if "," in name or len(words) < 2:
        return name
    start = _surname_start(words)
    return f"{' '.join(words[start:])}, {' '.join(words[:start])}"


def _surname_start(words: list[str]) -> int:
    """Where the surname starts: at the first lowercase word (a particle: "von", "de la")
    before the last word, else at the last word. A name that starts in lowercase ("li
    yuan", as some records are typed) has no given name by BibTeX's rule; read as typed in
    lowercase, not as a surname alone, its last word is the surname."""
    if not _lowercase(words[0]):
        for i, word in enumerate(words[1:-1], start=1):
            if _lowercase(word):
                return i
    return len(words) - 1


def _lowercase(word: str) -> bool:
    """BibTeX's test: the word's first letter is lowercase (a word without letters is not)."""
    return next((c.islower() for c in word if c.isalpha()), False)


def record(paper: Paper) -> str:
    """The paper's record: one `TAG  - value` line each, ending with `ER  - `."""
    return "".join(f"{tag}  - {value}\n" for tag, value in fields(paper))


def fields(paper: Paper) -> list[tuple[str, str]]:
    out = [("TY", JOURNAL if paper.journal_ref else PREPRINT), ("ID", paper.id)]
    out.append(("TI", one_line(plain(paper.title))))
    out += [("AU", name) for name in map(author, paper.authors) if name]
    out.append(("PY", str(year(paper))))
    if paper.published is not None:
        out.append(("DA", paper.published.strftime("%Y/%m/%d")))
    if paper.is_arxiv:
        out += [("AN", f"arXiv:{paper.id}"), ("DB", "arXiv")]
    if paper.journal_ref:
        out.append(("JO", one_line(paper.journal_ref)))
    if paper.doi:
        out.append(("DO", one_line(paper.doi)))
    if url := paper.links.arxiv or paper.links.hf or paper.links.project:
        out.append(("UR", url))
    if paper.links.pdf:
        out.append(("L1", paper.links.pdf))
    out.append(("ER", ""))
    return out


def day_file(papers: Iterable[Paper]) -> str:
    """The records of a day's cards, in the page's order, a blank line between them."""
    return "\n".join(record(paper) for paper in papers)
