"""The shape checks of the hand-edited files: data/topics.yaml and data/curation.yaml.

Pure: the store safe-loads the YAML; these functions turn it into `Topic` and `Curation`
records, or raise a RecordError naming the field (the store adds the line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from generator.errors import RecordError
from generator.models import OTHER_SLUG, Curation, Topic, TopicRule, check_id
from generator.phrases import phrase_forms, phrase_words

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CATEGORY_RE = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?")
_TOPIC_KEYS = ("slug", "name", "description", "phrases", "keywords", "categories")
_CURATION_KEYS = ("hide", "pin", "add_topics", "remove_topics", "note")
_MAX_NAME = 60
_MAX_DESCRIPTION = 300
_MAX_PHRASE = 100
_MAX_NOTE = 2000

# A rule-list item check: None when fine, else what is wrong with it.
_Check = Callable[[str], str | None]
_T = TypeVar("_T")


def topic_entries(data: object, path: str) -> tuple[list[Topic], list[RecordError]]:
    """The good topics of safe-loaded topics.yaml, and the first problem of each bad one;
    a problem of the file as a whole raises."""
    top = mapping(data, path, None, "the file must be a mapping with a 'topics:' list")
    only_keys(top, ("topics",), path, "")
    items = top.get("topics")
    if not isinstance(items, list):
        raise RecordError(path, None, "topics", "must be a list of topics")
    topics: list[Topic] = []
    problems: list[RecordError] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        try:
            topic = _parse_topic(item, path, f"topics[{i}]")
        except RecordError as exc:
            problems.append(exc)
            continue
        if topic.slug in seen:
            problems.append(
                RecordError(
                    path,
                    None,
                    f"topics[{i}].slug",
                    f"duplicate slug {topic.slug!r} (also topics[{seen[topic.slug]}])",
                )
            )
            continue
        seen[topic.slug] = i
        topics.append(topic)
    return topics, problems


def _parse_topic(item: object, path: str, where: str) -> Topic:
    entry = mapping(item, path, where, "a topic must be a mapping")
    only_keys(entry, _TOPIC_KEYS, path, where + ".")
    slug = checked_slug(entry.get("slug"), path, f"{where}.slug", 64)
    if slug == OTHER_SLUG:
        raise RecordError(
            path, None, f"{where}.slug", "'other' is reserved for papers no topic matches"
        )
    rule = TopicRule(
        phrases=rule_list(entry, "phrases", path, where, _check_phrase),
        keywords=rule_list(entry, "keywords", path, where, _check_phrase),
        categories=rule_list(entry, "categories", path, where, check_category),
    )
    return Topic(
        slug=slug,
        name=checked_text(entry.get("name"), path, f"{where}.name", _MAX_NAME),
        description=checked_text(
            entry.get("description"), path, f"{where}.description", _MAX_DESCRIPTION
        ),
        rule=rule,
    )


def _check_phrase(value: str) -> str | None:
    return None if phrase_words(value) else "has no letters or digits to match"


def check_category(value: str) -> str | None:
    return None if _CATEGORY_RE.fullmatch(value) else "is not an arXiv category like cs.CL"


def rule_list(
    entry: Mapping[object, object], key: str, path: str, where: str, check: _Check
) -> tuple[str, ...]:
    values = entry.get(key)
    if values is None:
        return ()
    if not isinstance(values, list):
        raise RecordError(path, None, f"{where}.{key}", "must be a list")
    out: list[str] = []
    seen: dict[tuple[str, ...], str] = {}  # every form an earlier item matches
    for i, value in enumerate(values):
        field = f"{where}.{key}[{i}]"
        text = checked_text(value, path, field, _MAX_PHRASE)
        problem = check(text)
        if problem:
            raise RecordError(path, None, field, f"{text!r} {problem}")
        forms = phrase_forms(text) if key != "categories" else [(text,)]
        repeated = next((seen[f] for f in forms if f in seen), None)
        if repeated is not None:
            raise RecordError(path, None, field, f"{text!r} matches what {repeated!r} does")
        seen.update(dict.fromkeys(forms, text))
        out.append(text)
    return tuple(out)


def parse_curation(data: object, path: str, known_topics: set[str]) -> dict[str, Curation]:
    """Per-paper overrides from safe-loaded curation.yaml, by paper id; RecordError names
    the first bad field."""
    entries, problems = curation_entries(data, path, known_topics)
    if problems:
        raise problems[0]
    return entries


def curation_entries(
    data: object, path: str, known_topics: set[str] | None
) -> tuple[dict[str, Curation], list[RecordError]]:
    """Every entry of safe-loaded curation.yaml by paper id, and every problem, one per
    field. An entry keeps its good fields, so its paper id can still be checked; topics
    are not checked when `known_topics` is None (topics.yaml has a problem of its own)."""
    if data is None:
        return {}, []
    top = mapping(data, path, None, "the file must be a mapping with a 'papers:' mapping")
    only_keys(top, ("papers",), path, "")
    papers = top.get("papers")
    if papers is None:
        return {}, []
    entries = mapping(papers, path, "papers", "must map paper ids to overrides")
    out: dict[str, Curation] = {}
    problems: list[RecordError] = []
    for key, value in entries.items():
        try:
            paper_id = _curation_id(key, path)
        except RecordError as exc:
            problems.append(exc)
            continue
        out[paper_id], found = _parse_curation_entry(paper_id, value, known_topics)
        problems += [RecordError(path, paper_id, e.field, e.message) for e in found]
    return out, problems


def _curation_id(key: object, path: str) -> str:
    if not isinstance(key, str):
        raise RecordError(
            path, None, f"papers.{key}", 'a paper id must be quoted text, e.g. "2601.01425"'
        )
    try:
        return check_id(key)
    except RecordError as exc:
        raise RecordError(path, None, f"papers.{key}", exc.message) from None


def _parse_curation_entry(
    paper_id: str, value: object, known: set[str] | None
) -> tuple[Curation, list[RecordError]]:
    if not isinstance(value, Mapping):
        message = "overrides must be a mapping (hide, pin, add_topics, ...)"
        return Curation(paper_id), [RecordError(None, None, None, message)]
    problems = _unknown_keys(value, _CURATION_KEYS, None, "")

    def checked(check: Callable[[], _T], instead: _T) -> _T:
        try:
            return check()
        except RecordError as exc:
            problems.append(exc)
            return instead

    add = _slug_list(value, "add_topics", known, problems)
    remove = _slug_list(value, "remove_topics", known, problems)
    both = sorted(set(add) & set(remove))
    if both:
        problems.append(
            RecordError(None, None, "remove_topics", f"{both[0]!r} is also in add_topics")
        )
    note = value.get("note")
    curation = Curation(
        paper_id=paper_id,
        hide=checked(lambda: _flag(value, "hide"), False),
        pin=checked(lambda: _flag(value, "pin"), False),
        add_topics=add,
        remove_topics=remove,
        note=None
        if note is None
        else checked(lambda: checked_text(note, None, "note", _MAX_NOTE, one_line=False), None),
    )
    return curation, problems


def _flag(entry: Mapping[object, object], key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise RecordError(None, None, key, f"must be true or false, not {value!r}")
    return value


def _slug_list(
    entry: Mapping[object, object], key: str, known: set[str] | None, problems: list[RecordError]
) -> tuple[str, ...]:
    """The list's known slugs; a problem for each unknown one (none checked if known is None)."""
    values = entry.get(key)
    if values is None:
        return ()
    if not isinstance(values, list):
        problems.append(RecordError(None, None, key, "must be a list of topic slugs"))
        return ()
    slugs: list[str] = []
    for i, value in enumerate(values):
        if isinstance(value, str) and (known is None or value in known):
            slugs.append(value)
        else:
            problems.append(RecordError(None, None, f"{key}[{i}]", f"unknown topic {value!r}"))
    return tuple(dict.fromkeys(slugs))


# --- small shared checks --------------------------------------------------------------------


def mapping(
    value: object, path: str | None, field: str | None, message: str
) -> Mapping[object, object]:
    if not isinstance(value, Mapping):
        raise RecordError(path, None, field, message)
    return value


def only_keys(
    entry: Mapping[object, object], allowed: Sequence[str], path: str | None, prefix: str
) -> None:
    for problem in _unknown_keys(entry, allowed, path, prefix):
        raise problem


def _unknown_keys(
    entry: Mapping[object, object], allowed: Sequence[str], path: str | None, prefix: str
) -> list[RecordError]:
    expected = f"unknown key (expected: {', '.join(allowed)})"
    return [
        RecordError(path, None, f"{prefix}{key}", expected) for key in entry if key not in allowed
    ]


def checked_slug(value: object, path: str | None, field: str, limit: int) -> str:
    slug = checked_text(value, path, field, limit)
    if not SLUG_RE.fullmatch(slug):
        raise RecordError(path, None, field, f"{slug!r} is not lower-case words joined by '-'")
    return slug


def checked_text(
    value: object, path: str | None, field: str, limit: int, *, one_line: bool = True
) -> str:
    if value is None:
        raise RecordError(path, None, field, "is missing")
    if not isinstance(value, str):
        raise RecordError(path, None, field, f"must be text, not {value!r} (quote it in YAML)")
    if not value.strip():
        raise RecordError(path, None, field, "is empty")
    if len(value) > limit:
        raise RecordError(path, None, field, f"longer than {limit} characters")
    if one_line and "\n" in value.strip():
        raise RecordError(path, None, field, "must be a single line")
    return value.strip()
