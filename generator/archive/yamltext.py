"""Safe YAML for the archive: loading with limits, one canonical dump, and finding lines.

Loading never constructs anything but plain data (SafeLoader, dates left as text for the
models to judge) and refuses aliases, so a document cannot grow in memory beyond its
size. `yaml_line` maps a field path back to the line a person has to edit.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.errors import RecordError
from generator.models import check_id

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loading, with dates left as text: the models decide what a date is."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class _Dumper(_BaseDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def parse_yaml(text: str, shown: str) -> object:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark, start = exc.problem_mark, exc.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        # Where the construct began is often where the mistake is (an unclosed bracket).
        since = (
            f" ({exc.context} from line {start.line + 1})"
            if exc.context and start is not None and mark is not None and start.line < mark.line
            else ""
        )
        raise RecordError(shown, None, None, f"{line}invalid YAML: {exc.problem}{since}") from None
    except yaml.YAMLError as exc:
        raise RecordError(shown, None, None, f"invalid YAML: {exc}") from None
    _refuse_shared_nodes(data, shown)
    return data


def _refuse_shared_nodes(data: object, shown: str) -> None:
    """Aliases make one node appear many times; walking a bomb of them never ends."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            if id(node) in seen:
                raise RecordError(shown, None, None, "YAML aliases are not allowed here")
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)


def dump_yaml(doc: object) -> str:
    """The canonical text of a document: sorted keys, Unicode as itself, block style."""
    text: str = yaml.dump(
        doc,
        Dumper=_Dumper,
        sort_keys=True,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text


class _BadKey:
    """A path step: the first key of a mapping that is not a plain id (or not text)."""


BAD_KEY = _BadKey()
Part = str | int | _BadKey


def field_path(paper_id: str | None, field_name: str | None) -> list[Part]:
    """`topics[3].phrases[2]` as ["topics", 3, "phrases", 2]; a curation entry's fields
    sit under ["papers", <id>], and a bad id is a key of "papers" itself."""
    if not paper_id and (field_name or "").split(".")[0] == "papers":
        return ["papers", BAD_KEY]
    parts: list[Part] = ["papers", paper_id] if paper_id else []
    for name in (field_name or "").split("."):
        for piece in re.findall(r"[^\[\]]+|\[\d+\]", name):
            parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return parts


def yaml_line(text: str, parts: list[Part]) -> int | None:
    """The 1-based line of the node at `parts` (keys and list indexes) in a YAML text, or
    of the deepest node on the way that exists. Composes nodes only: nothing is built."""
    try:
        node = yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            found = _mapping_entry(node, part)
            if found is None:
                return line
            key, node = found
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _mapping_entry(node: yaml.MappingNode, part: Part) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            if isinstance(part, _BadKey):
                return key, value
        elif isinstance(part, _BadKey):
            # An unquoted id like 2601.01425 is read as a number, not text.
            if key.tag != "tag:yaml.org,2002:str" or not _is_plain_id(key.value):
                return key, value
        elif key.value == str(part):
            return key, value
    return None


def _is_plain_id(text: str) -> bool:
    try:
        check_id(text)
    except RecordError:
        return False
    return True
