"""A synthetic archive with the shape of the real one, for benchmarks.

About 25 papers a weekday (some days 60+), few at weekends; abstracts of 1,000-2,000
characters; 1-30 authors; upvotes skewed like HF's (most papers few, a handful hundreds);
AI fields on most papers; vocabulary drawn so the shipped taxonomy's topics all occur.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from generator.models import Links, Paper

_WORDS = [
    "language",
    "model",
    "reasoning",
    "agent",
    "benchmark",
    "diffusion",
    "video",
    "image",
    "generation",
    "retrieval",
    "reinforcement",
    "learning",
    "alignment",
    "speech",
    "audio",
    "robot",
    "manipulation",
    "3D",
    "scene",
    "multimodal",
    "vision",
    "transformer",
    "attention",
    "quantization",
    "inference",
    "efficient",
    "training",
    "data",
    "synthetic",
    "evaluation",
    "safety",
    "jailbreak",
    "code",
    "math",
    "theorem",
    "medical",
    "protein",
    "graph",
    "optimization",
    "scaling",
    "law",
    "interpretability",
    "token",
    "latent",
    "policy",
    "reward",
    "preference",
    "fine-tuning",
    "instruction",
    "tool",
    "planning",
    "memory",
    "long",
    "context",
    "embedding",
    "search",
    "segmentation",
    "depth",
]
_KEYWORDS = [
    "large language models",
    "chain-of-thought",
    "diffusion models",
    "video generation",
    "reinforcement learning",
    "vision-language models",
    "retrieval-augmented generation",
    "text-to-speech",
    "robot manipulation",
    "3D reconstruction",
    "quantization",
    "mixture of experts",
    "benchmark",
    "code generation",
    "mathematical reasoning",
    "jailbreak",
    "agents",
    "world models",
]
_NAMES = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "John",
    "Frances",
    "Leslie",
    "Radia",
    "Tim",
    "Yann",
    "Fei",
]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 22))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _abstract(rng: random.Random) -> str:
    target = rng.randint(1000, 2000)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < target:
        parts.append(_sentence(rng))
    return " ".join(parts)[:target]


def _papers_on(day: date, rng: random.Random) -> int:
    if day.weekday() >= 5:
        return rng.randint(0, 4)
    return rng.randint(40, 70) if rng.random() < 0.08 else rng.randint(12, 35)


def synth_papers(n: int, *, seed: int = 1, last_day: date = date(2026, 1, 30)) -> list[Paper]:
    """`n` papers ending on `last_day`, going back as many days as it takes."""
    rng = random.Random(seed)
    papers: list[Paper] = []
    day = last_day
    serial = 0
    while len(papers) < n:
        for _ in range(min(_papers_on(day, rng), n - len(papers))):
            serial += 1
            papers.append(_paper(day, serial, rng))
        day -= timedelta(days=1)
    return papers


def _paper(day: date, serial: int, rng: random.Random) -> Paper:
    pid = f"{day:%y%m}.{serial % 100000:05d}"
    has_ai = rng.random() < 0.9
    has_code = rng.random() < 0.4
    return Paper(
        id=pid,
        title=" ".join(rng.choices(_WORDS, k=rng.randint(5, 12))).title(),
        day=day,
        abstract=_abstract(rng),
        authors=tuple(
            f"{rng.choice(_NAMES)} {rng.choice(_NAMES)}son" for _ in range(rng.randint(1, 30))
        ),
        published=day - timedelta(days=rng.randint(0, 5)),
        upvotes=int(rng.paretovariate(1.2)) - 1,
        comments=rng.randint(0, 5),
        links=Links.for_arxiv(pid, code=f"https://github.com/lab/p{serial}" if has_code else None),
        github_stars=rng.randint(0, 3000) if has_code else None,
        ai_summary=_sentence(rng) if has_ai else None,
        ai_keywords=tuple(rng.sample(_KEYWORDS, 4)) if has_ai else (),
        source="synthetic",
    )


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
