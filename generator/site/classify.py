"""The topic taxonomy: classifying papers by the rules of data/topics.yaml.

Pure: `archive/hand_edited.py` checks the hand-edited files' shape, this module turns
topic rules into a `Classifier`. Matching works on words (phrases.py says how text is cut
into them). Regexes would be simpler, but thirty thousand abstracts against a few hundred
phrases took seconds with them; word sets and substring tests take a fraction.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from generator.models import OTHER_SLUG, Curation, Paper, Topic, TopicRule
from generator.phrases import BREAK, phrase_forms, words

OTHER = Topic(
    slug=OTHER_SLUG,
    name="Other",
    description="Papers that no topic's rules matched yet.",
)


def _plurals(word: str) -> list[str]:
    """A rule's last word and its plurals: "model" "models", "strategy" "strategies"."""
    if not word[-1].isalpha():
        return [word]
    out = [word, word + "s", word + "es"]
    if word.endswith("y") and len(word) > 2:
        out.append(word[:-1] + "ies")
    return out


def _variants(phrase: str) -> list[tuple[str, ...]]:
    """Every word sequence the phrase matches: its forms, each with a plural last word."""
    return [(*form[:-1], end) for form in phrase_forms(phrase) for end in _plurals(form[-1])]


# Words too common in any abstract to be a good index key for a longer phrase. Only
# speed depends on the choice of key, never the result.
_COMMON = frozenset(
    words(
        "a an and based by for from in into large language learning model models multi neural "
        "network of on self the to via with"
    )
)


# A phrase of several words, tried when its key word is present: the words it needs, the
# " w1 w2 w3 " text to find in the joined words (for one form of the last word, which may
# be plural), the topic's bit, and whether it is specific. A plain tuple: the hot loop.
_Multi = tuple[frozenset[str], str, int, bool]
# A phrase of this many words is specific enough to place a paper from one mention in
# its abstract ("reinforcement fine-tuning"); shorter ones are often said in passing
# ("knowledge graph", "embodied AI") and need a second mention.
SPECIFIC_WORDS = 3


class _Index:
    """Phrases of many topics, looked up by word so a text is read once for all topics."""

    def __init__(self, rules: Sequence[tuple[str, int]]) -> None:
        # A bit once per phrase form that reads the word, so counts agree with explain().
        self.singles: dict[str, list[int]] = {}
        self.multis: dict[str, list[_Multi]] = {}
        forms = [(form, bit) for phrase, bit in rules for form in phrase_forms(phrase)]
        uses: dict[str, int] = {}
        for form, _ in forms:
            for word in set(form):
                uses[word] = uses.get(word, 0) + 1
        for form, bit in forms:
            if len(form) == 1:
                for end in _plurals(form[0]):
                    self.singles.setdefault(end, []).append(bit)
            else:
                self._add_multi(form, bit, uses)
        self.single_keys = frozenset(self.singles)
        self.multi_keys = frozenset(self.multis)

    def _add_multi(self, base: tuple[str, ...], bit: int, uses: Mapping[str, int]) -> None:
        head = frozenset(base[:-1]) - {BREAK}
        # Key on the word fewest rules share (rarely the common one in every abstract).
        key = min(
            (w for w in base if w != BREAK), key=lambda w: (w in _COMMON, uses[w], -len(w), w)
        )
        for end in _plurals(base[-1]):
            text = " " + " ".join((*base[:-1], end)) + " "
            entry: _Multi = (head | {end}, text, bit, len(base) >= SPECIFIC_WORDS)
            self.multis.setdefault(end if key == base[-1] else key, []).append(entry)

    def mask(self, present: set[str], joined: str) -> int:
        """Topic bits whose phrases occur; `joined` is the words joined by single spaces."""
        return self.masks(present, joined, count=False)[0]

    def masks(self, present: set[str], joined: str, *, count: bool) -> tuple[int, int]:
        """Topic bits with a phrase that occurs, and those with strong evidence: two
        occurrences (of one phrase or of several) or a specific phrase; the second only
        when `count` is asked for (occurrences are counted in `joined`)."""
        once = twice = 0
        singles, multis = self.singles, self.multis
        for word in present & self.single_keys:
            n = joined.count(f" {word} ") if count else 1
            for bit in singles[word]:
                twice |= bit if once & bit or n > 1 else 0
                once |= bit
        for word in present & self.multi_keys:
            for needs, text, bit, specific in multis[word]:
                if twice & bit or (not count and once & bit) or not needs <= present:
                    continue
                n = joined.count(text) if count else int(text in joined)
                if n:
                    twice |= bit if once & bit or n > 1 or specific else 0
                    once |= bit
        return once, twice


def _joined(found: list[str]) -> str:
    """Words as one string with a space at each end, for " w1 w2 " substring tests."""
    return " " + " ".join(found) + " "


@functools.lru_cache(maxsize=8192)
def _needles(phrase: str) -> tuple[str, ...]:
    return tuple(_joined(list(form)) for form in _variants(phrase))


def _contains(phrase: str, joined: str) -> bool:
    return any(needle in joined for needle in _needles(phrase))


class Classifier:
    """Topic rules compiled once; classify() is then cheap enough for the whole archive."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        slugs = [t.slug for t in topics]
        if len(set(slugs)) != len(slugs) or OTHER_SLUG in slugs:
            raise ValueError("topic slugs must be unique and must not be 'other'")
        self.topics: tuple[Topic, ...] = tuple(topics)
        self.slugs = frozenset(slugs)
        bits = [1 << i for i in range(len(topics))]
        pairs = list(zip(topics, bits, strict=True))
        self._phrases = _Index([(p, b) for t, b in pairs for p in t.rule.phrases])
        self._keywords = _Index([(k, b) for t, b in pairs for k in t.rule.keywords])
        self._categories: dict[str, int] = {}
        for topic, bit in pairs:
            for category in topic.rule.categories:
                self._categories[category] = self._categories.get(category, 0) | bit
        self._by_mask: dict[int, tuple[str, ...]] = {}

    def _rule_mask(self, paper: Paper) -> int:
        """The topics the rules give: those with strong evidence (a phrase in the title,
        an AI keyword, a category, phrases met twice in the abstract or a specific one
        once) when there are any; else those with one short phrase met once in the
        abstract. One passing phrase ("multi-agent" in an optimizer paper) is weak
        evidence: it only decides a topic for a paper that nothing else places."""
        title = words(paper.title)
        strong = self._phrases.mask(set(title), _joined(title))
        once = 0
        if paper.abstract:
            text = words(paper.abstract)
            once, twice = self._phrases.masks(set(text), _joined(text), count=True)
            strong |= twice
        if paper.ai_keywords:
            # BREAK keeps a keyword rule from running from one AI keyword into the next.
            kws = words(BREAK.join(paper.ai_keywords))
            strong |= self._keywords.mask(set(kws), _joined(kws))
        for category in paper.categories:
            strong |= self._categories.get(category, 0)
        return strong or once

    def _slugs(self, mask: int) -> tuple[str, ...]:
        cached = self._by_mask.get(mask)
        if cached is None:
            cached = tuple(t.slug for i, t in enumerate(self.topics) if mask >> i & 1)
            self._by_mask[mask] = cached or (OTHER_SLUG,)
        return cached or (OTHER_SLUG,)

    def classify(self, paper: Paper, curation: Curation | None = None) -> tuple[str, ...]:
        """The paper's topic slugs in taxonomy order, or ("other",) when none applies.

        Curation adds and removes topics after the rules; slugs the taxonomy does not
        know are ignored here (parse_curation reports them).
        """
        mask = self._rule_mask(paper)
        if curation is not None:
            for i, topic in enumerate(self.topics):
                if topic.slug in curation.add_topics:
                    mask |= 1 << i
                if topic.slug in curation.remove_topics:
                    mask &= ~(1 << i)
        return self._slugs(mask)

    def explain(self, paper: Paper, curation: Curation | None = None) -> list[str]:
        """One human-readable line per reason the paper is (or is not) in each topic."""
        title = _joined(words(paper.title))
        abstract = _joined(words(paper.abstract or ""))
        keywords = [(k, _joined(words(k))) for k in paper.ai_keywords]
        found = [
            (t, _reasons(t.rule, title, abstract, keywords, paper.categories)) for t in self.topics
        ]
        any_strong = any(strong for _, (_, strong) in found)
        lines: list[str] = []
        for topic, (reasons, strong) in found:
            if reasons and any_strong and not strong:
                reasons = [f"{reasons[0]} only once: too weak beside the other topics"]
            if curation is not None and topic.slug in curation.remove_topics:
                if reasons:
                    lines.append(f"{topic.slug}: removed by curation")
                continue
            lines.extend(f"{topic.slug}: {reason}" for reason in reasons)
            if curation is not None and topic.slug in curation.add_topics:
                lines.append(f"{topic.slug}: added by curation")
        if self.classify(paper, curation) == (OTHER_SLUG,):
            why = "every match removed by curation" if lines else "no rule matched"
            lines.append(f"{OTHER_SLUG}: {why}")
        return lines


def _weight(phrase: str, joined: str) -> int:
    """The phrase's occurrences, a specific form's counting twice (see _rule_mask)."""
    total = 0
    for needle in _needles(phrase):
        n = joined.count(needle)
        total += 2 * n if needle.count(" ") > SPECIFIC_WORDS else n
    return total


def _reasons(
    rule: TopicRule,
    title: str,
    abstract: str,
    keywords: list[tuple[str, str]],
    categories: tuple[str, ...],
) -> tuple[list[str], bool]:
    """Why the rule matches, and whether that is strong evidence (see _rule_mask)."""
    out = [f"phrase {p!r} in title" for p in rule.phrases if _contains(p, title)]
    strong = bool(out)
    hits = [(p, n) for p in rule.phrases if (n := _weight(p, abstract))]
    out.extend(f"phrase {p!r} in abstract" for p, _ in hits)
    strong = strong or sum(n for _, n in hits) > 1
    matched = [
        f"AI keyword {keyword!r} matched {k!r}"
        for keyword, joined in keywords
        for k in rule.keywords
        if _contains(k, joined)
    ]
    matched.extend(f"category {c!r}" for c in rule.categories if c in categories)
    out.extend(matched)
    return out, strong or bool(matched)
