"""Read YAML into plain data while remembering the line of every value.

PyYAML's composer keeps marks on nodes; we walk the node tree ourselves so that duplicate keys, aliases and
non-string keys become reportable problems instead of silent surprises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

MAX_BYTES = 2 * 1024 * 1024  # an instrument is tens of kB; anything near this is not one

Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """Plain data from a YAML file plus where each part of it stands."""

    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[tuple[int, str, dict]] = field(default_factory=list)  # (line, code, params)

    def line(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class _Reader:
    def __init__(self) -> None:
        self._constructor = yaml.SafeLoader("")
        self.lines: dict[Path_, int] = {}
        self.problems: list[tuple[int, str, dict]] = []

    def convert(self, node: yaml.Node, path: Path_) -> object:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, object] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append((key_node.start_mark.line + 1, "yaml_merge", {}))
                    continue
                key = self._constructor.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    self.problems.append((key_node.start_mark.line + 1, "yaml_key_type", {"key": str(key)}))
                    continue
                if key in result:
                    self.problems.append((key_node.start_mark.line + 1, "yaml_duplicate_key", {"key": key}))
                    continue
                child = (*path, key)
                result[key] = self.convert(value_node, child)
                self.lines[child] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        value = self._constructor.construct_object(node)
        if hasattr(value, "isoformat"):  # dates stay text, as the author wrote them
            return value.isoformat()
        return value


class _NoAliasComposer(yaml.SafeLoader):
    """Refuses anchors and aliases: an instrument needs none, and they enable billion-laughs files."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "alias", event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, "anchor", event.start_mark)
        return super().compose_node(parent, index)


def read(path: Path) -> Source:
    """Parse `path`. Never raises for bad content: problems come back in `Source.problems`."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Source(None, problems=[(1, "file_unreadable", {"reason": exc.strerror or str(exc)})])
    if size > MAX_BYTES:
        return Source(None, problems=[(1, "file_too_large", {"size": size, "limit": MAX_BYTES})])
    raw = path.read_bytes()
    if b"\x00" in raw:
        return Source(None, problems=[(1, "file_binary", {})])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Source(None, problems=[(line, "file_not_utf8", {})])
    if not text.strip():
        return Source(None, problems=[(1, "file_empty", {})])
    try:
        node = yaml.compose(text, Loader=_NoAliasComposer)
    except yaml.composer.ComposerError as exc:
        mark = exc.problem_mark
        return Source(None, problems=[((mark.line + 1) if mark else 1, "yaml_alias", {})])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return Source(None, problems=[((mark.line + 1) if mark else 1, "yaml_syntax", {"reason": problem})])
    if node is None:
        return Source(None, problems=[(1, "file_empty", {})])
    reader = _Reader()
    try:
        data = reader.convert(node, ())
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # e.g. an invalid timestamp literal
        mark = getattr(exc, "problem_mark", None)
        return Source(None, problems=[((mark.line + 1) if mark else 1, "yaml_syntax", {"reason": str(exc)})])
    return Source(data, reader.lines, reader.problems)
