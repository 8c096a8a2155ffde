"""A synthetic archive with the shape of the real one, for benchmarks.

About 25 papers a weekday (some days 60+), few at weekends; abstracts of 1,000-2,000
characters; 1-30 authors; upvotes skewed like HF's (most papers few, a handful hundreds);
AI summaries and keywords on most papers. Topics come from the shipped taxonomy
(data/topics.yaml): each paper is "about" one to three topics, weighted like the real
Hugging Face captures, and its title, abstract and AI keywords use those topics' own
phrases; everything else is common words and made-up rarer ones (a Zipf spread, like real text)
that no topic rule matches. So the classifier puts papers
in about two topics each, as it does on real data (2.7 with the current taxonomy), not in
half the taxonomy. Deterministic for a given seed.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from generator import store
from generator.models import Links, Paper, Topic
from generator.project import Project

REPO = Path(__file__).resolve().parents[1]
TOPICS_FILE = REPO / "data" / "topics.yaml"

# Words no topic rule matches (checked by tests/test_bench_synth.py), so a paper's topics
# come only from the phrases drawn for it.
FILLER = (  # noqa: SIM905 - a paragraph of words reads better than a column
    "we propose method approach results show that the a of and in to for with on our "
    "this paper introduce framework performance experiments demonstrate significant "
    "improvement existing methods baseline baselines novel task tasks across various "
    "settings large scale outperforms achieves competitive accuracy analysis study "
    "simple effective robust general strong key challenge limited current models system "
    "systems design designed extensive evaluation evaluations shows while these their "
    "from by is are be can which using based new further both however moreover "
    "specifically first second finally lightweight accurate stable consistent diverse "
    "complex practical open release publicly available resources substantially gains "
    "level levels structure structured signal signals representation module modules "
    "stage stages loss objective pipeline component components strategy strategies "
    "problem problems solution solutions "
).split()
_TITLE_FILLER = (  # noqa: SIM905
    "Towards Scalable Unified Efficient Robust Simple Learning Beyond Rethinking Revisiting "
    "Understanding Improving Adaptive Generalist Open Structured Grounded Fast"
).split()
_GENERIC_KEYWORDS = (
    "deep learning",
    "neural networks",
    "transformer",
    "generalization",
    "open-source",
    "ablation study",
    "large-scale training",
    "contrastive learning",
)
# Relative frequency of each topic on real Hugging Face days (papers per topic in the
# captures under ../shared/hf-daily); topics not listed get weight 40.
_TOPIC_WEIGHTS = {
    "reinforcement-learning": 195,
    "multimodal": 160,
    "agents": 160,
    "post-training": 136,
    "reasoning": 125,
    "video": 102,
    "foundation-models": 96,
    "evaluation": 88,
    "data": 78,
    "image-generation": 77,
    "3d-4d": 69,
    "efficiency": 63,
    "robotics": 59,
    "safety": 57,
    "retrieval": 54,
    "vision": 48,
    "language": 46,
    "code": 44,
    "math": 44,
    "speech-audio": 43,
    "society": 36,
    "science-medicine": 35,
    "optimization-theory": 32,
    "interpretability": 20,
}
MAX_ABSTRACT = 2000
_FIRST = (  # noqa: SIM905
    "Ada Grace Alan Edsger Barbara Donald John Frances Leslie Radia Tim Yann Fei Kai"
).split()


LEXICON_SIZE = 40_000
_ONSETS = [
    "b",
    "br",
    "d",
    "f",
    "g",
    "gr",
    "k",
    "kl",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "st",
    "t",
    "tr",
    "v",
    "z",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io"]
_CODAS = ["", "", "n", "r", "s", "l", "nd", "st", "x"]


def shipped_topics() -> list[Topic]:
    return store.read_topics(Project(REPO))


def _rule_words(topics: Sequence[Topic]) -> set[str]:
    return {
        word.lower()
        for t in topics
        for rule in (*t.rule.phrases, *t.rule.keywords)
        for word in rule.replace("-", " ").split()
    }


def _lexicon(rng: random.Random, size: int, banned: set[str]) -> list[str]:
    """Made-up words, so the index sees a real text's spread of rare words (Zipf's law),
    none of them a word of a topic rule."""
    words: dict[str, None] = {}
    while len(words) < size:
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(1, 3))
        ) + rng.choice(_CODAS)
        if len(word) >= 4 and word not in banned:
            words[word] = None
    return list(words)


class _Vocabulary:
    def __init__(self, topics: Sequence[Topic], rng: random.Random) -> None:
        self.topics = [t for t in topics if t.rule.phrases or t.rule.keywords]
        self.weights = [_TOPIC_WEIGHTS.get(t.slug, 40) for t in self.topics]
        banned = _rule_words([*topics, *shipped_topics()]) | set(FILLER)
        self.lexicon = _lexicon(rng, LEXICON_SIZE, banned)
        self.zipf = list(itertools.accumulate(1 / rank for rank in range(1, LEXICON_SIZE + 1)))

    def words(self, rng: random.Random, count: int) -> list[str]:
        """Running text: common words about half the time, the rest rarer and rarer."""
        common = rng.choices(FILLER, k=count)
        rare = rng.choices(self.lexicon, cum_weights=self.zipf, k=count)
        return [c if rng.random() < 0.45 else r for c, r in zip(common, rare, strict=True)]

    def home_topics(self, rng: random.Random) -> list[Topic]:
        count = rng.choices((0, 1, 2, 3), weights=(2, 30, 43, 25))[0]
        chosen: list[Topic] = []
        while len(chosen) < min(count, len(self.topics)):
            topic = rng.choices(self.topics, weights=self.weights)[0]
            if topic not in chosen:
                chosen.append(topic)
        return chosen


def _sentence(rng: random.Random, vocabulary: _Vocabulary, phrases: Sequence[str]) -> str:
    words = vocabulary.words(rng, rng.randint(8, 22))
    if phrases and rng.random() < 0.6:
        words.insert(rng.randint(1, len(words)), rng.choice(phrases))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _abstract(rng: random.Random, vocabulary: _Vocabulary, phrases: Sequence[str]) -> str:
    target = rng.randint(1000, MAX_ABSTRACT)
    parts: list[str] = []
    size = 0
    while size < target:
        parts.append(_sentence(rng, vocabulary, phrases))
        size += len(parts[-1]) + 1
    text = " ".join(parts)
    if len(text) > MAX_ABSTRACT:  # end on a full sentence, as abstracts do
        text = text[: text.rfind(".", 0, MAX_ABSTRACT) + 1]
    return text


def _title(rng: random.Random, vocabulary: _Vocabulary, phrases: Sequence[str]) -> str:
    words = vocabulary.words(rng, rng.randint(3, 8))
    head = rng.choice(_TITLE_FILLER)
    if phrases and rng.random() < 0.7:
        return f"{head} {rng.choice(phrases)}: {' '.join(words)}".capitalize()
    return f"{head} {' '.join(words)}".capitalize()


def _papers_on(day: date, rng: random.Random) -> int:
    if day.weekday() >= 5:
        return rng.randint(0, 4)
    return rng.randint(40, 70) if rng.random() < 0.08 else rng.randint(12, 35)


def synth_papers(
    n: int,
    *,
    seed: int = 1,
    last_day: date = date(2026, 1, 30),
    topics: Sequence[Topic] | None = None,
) -> list[Paper]:
    """`n` papers ending on `last_day`, going back as many days as it takes."""
    rng = random.Random(seed)
    vocabulary = _Vocabulary(shipped_topics() if topics is None else topics, rng)
    papers: list[Paper] = []
    day = last_day
    serial = 0
    while len(papers) < n:
        for _ in range(min(_papers_on(day, rng), n - len(papers))):
            serial += 1
            papers.append(_paper(day, serial, rng, vocabulary))
        day -= timedelta(days=1)
    return papers


def _paper(day: date, serial: int, rng: random.Random, vocabulary: _Vocabulary) -> Paper:
    # Unique across the run (five digits of serial per month is not enough at 100,000).
    pid = f"{day:%y%m}.{serial % 100000:05d}" if serial < 100000 else f"s{serial}"
    home = vocabulary.home_topics(rng)
    phrases = [p for t in home for p in t.rule.phrases]
    keywords = [k for t in home for k in t.rule.keywords]
    has_ai = rng.random() < 0.95
    has_code = rng.random() < 0.4
    ai_keywords: list[str] = []
    if has_ai:
        ai_keywords = rng.sample(keywords, min(len(keywords), rng.randint(2, 5)))
        ai_keywords += rng.sample(_GENERIC_KEYWORDS, rng.randint(2, 5))
    return Paper(
        id=pid,
        title=_title(rng, vocabulary, phrases),
        day=day,
        abstract=_abstract(rng, vocabulary, phrases),
        authors=tuple(
            f"{rng.choice(_FIRST)} {rng.choice(vocabulary.lexicon).capitalize()}"
            for _ in range(min(30, int(rng.expovariate(1 / 8)) + 1))
        ),
        published=day - timedelta(days=rng.randint(0, 5)),
        upvotes=int(rng.paretovariate(1.2)) - 1,
        comments=rng.randint(0, 5),
        links=Links.for_arxiv(pid, code=f"https://github.com/lab/p{serial}" if has_code else None),
        github_stars=rng.randint(0, 3000) if has_code else None,
        ai_summary=_sentence(rng, vocabulary, phrases) if has_ai else None,
        ai_keywords=tuple(dict.fromkeys(ai_keywords)),
        source="synthetic",
    )


def write_archive(project: Project, papers: Sequence[Paper]) -> int:
    """The papers as data/ day files plus the shipped taxonomy; returns files written."""
    by_day: dict[date, list[Paper]] = {}
    for paper in papers:
        by_day.setdefault(paper.day, []).append(paper)
    project.data.mkdir(parents=True, exist_ok=True)
    project.topics_file.write_text(TOPICS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return len(store.save_days(project, by_day))


def hf_records(papers: list[Paper]) -> Iterator[tuple[date, list[dict[str, Any]]]]:
    """The same papers as HF /api/daily_papers responses, one list per day."""
    by_day: dict[date, list[dict[str, Any]]] = {}
    for p in papers:
        submitted = f"{p.day.isoformat()}T08:00:00.000Z"
        paper: dict[str, Any] = {
            "id": p.id,
            "title": p.title,
            "summary": p.abstract,
            "authors": [
                {"_id": f"a{i}", "name": a, "hidden": False} for i, a in enumerate(p.authors)
            ],
            "publishedAt": f"{p.published}T00:00:00.000Z",
            "submittedOnDailyAt": submitted,
            "upvotes": p.upvotes,
            "ai_summary": p.ai_summary,
            "ai_keywords": list(p.ai_keywords),
            "githubRepo": p.links.code,
            "githubStars": p.github_stars,
        }
        by_day.setdefault(p.day, []).append(
            {"paper": paper, "title": p.title, "numComments": p.comments, "publishedAt": submitted}
        )
    yield from sorted(by_day.items())
