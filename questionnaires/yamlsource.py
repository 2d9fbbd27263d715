"""Read YAML into plain data while remembering the line of every value.

PyYAML's composer keeps marks on nodes; we walk the node tree ourselves so that duplicate keys, aliases and
non-string keys become reportable problems instead of silent surprises. Tags, anchors and aliases, several
documents in one file and nesting deeper than MAX_DEPTH are refused with their line before any value is
built; nothing here raises for bad content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MAX_BYTES = 2 * 1024 * 1024  # an instrument is tens of kB; anything near this is not one
MAX_DEPTH = 40  # nested mappings and lists; a definition needs about eight
SURROGATE = re.compile("[\ud800-\udfff]")  # "\ud800" escapes make them; no text can hold them

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
        if isinstance(value, str) and SURROGATE.search(value):
            character = SURROGATE.search(value).group()
            self.problems.append((node.start_mark.line + 1, "yaml_bad_character", {"character": f"\\u{ord(character):04x}"}))
            return value.encode("utf-8", "backslashreplace").decode("utf-8")  # nothing later may print it raw
        return value


class _Refused(Exception):
    """A construct the reader does not take, with where it stands."""

    def __init__(self, code: str, mark, **params: object):
        super().__init__(code)
        self.code, self.line, self.params = code, (mark.line + 1) if mark is not None else 1, params


class _StrictComposer(yaml.SafeLoader):
    """Refuses anchors and aliases (an instrument needs none, and they enable billion-laughs files), tags (they
    ask for objects or types no definition needs) and nesting deeper than MAX_DEPTH (the composer recurses)."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("yaml_alias", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise _Refused("yaml_tag", event.start_mark, tag=tag[:60])
        nested = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        if nested:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused("yaml_too_deep", event.start_mark, limit=MAX_DEPTH)
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self.depth -= 1

    def single_node(self):
        """The one document's node (None for an empty stream); a second document is refused at its start."""
        self.get_event()  # the stream's start
        node = None
        if not self.check_event(yaml.StreamEndEvent):
            node = self.compose_document()
        if not self.check_event(yaml.StreamEndEvent):
            raise _Refused("yaml_documents", self.peek_event().start_mark)
        self.get_event()
        return node


def _compose(text: str):
    loader = _StrictComposer(text)
    try:
        return loader.single_node()
    finally:
        loader.dispose()


def read(path: Path) -> Source:
    """Parse `path`. Never raises for bad content: problems come back in `Source.problems`."""
    try:
        size = path.stat().st_size
        if size <= MAX_BYTES:
            with path.open("rb") as handle:  # at most one byte over the limit, whatever stat said
                raw = handle.read(MAX_BYTES + 1)
            size = max(size, len(raw))
    except OSError as exc:
        return Source(None, problems=[(1, "file_unreadable", {"reason": exc.strerror or str(exc)})])
    if size > MAX_BYTES:
        return Source(None, problems=[(1, "file_too_large", {"size": size, "limit": MAX_BYTES})])
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
        node = _compose(text)
    except _Refused as refusal:
        return Source(None, problems=[(refusal.line, refusal.code, refusal.params)])
    except RecursionError:  # not reached below MAX_DEPTH; a last guard for a very deep call stack
        return Source(None, problems=[(1, "yaml_too_deep", {"limit": MAX_DEPTH})])
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
