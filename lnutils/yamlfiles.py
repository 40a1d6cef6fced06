"""YAML files read within limits, with the line of every key.

Every YAML a pipeline names (the pipeline file, codebook, teams, self-evaluations,
quotes, networks, toolkit) is parsed by :func:`load_yaml`: PyYAML's safe loader with
limits on size, nesting, aliases and what aliases expand to (:mod:`lnutils.limits`), so
that an alias bomb or a deeply nested file is a located error in milliseconds.
:func:`yaml_key_lines` maps every key to its line for messages.
"""

from __future__ import annotations

from typing import Any

import yaml

from lnutils import limits


class YamlLimitError(yaml.MarkedYAMLError):
    """A YAML file exceeds a limit of :mod:`lnutils.limits` (size, depth or aliases).

    A ``yaml.YAMLError``, so that every loader reports it where it reports a syntax
    error: with the file and the line of the offending value.
    """


class BoundedSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader with limits on nesting, aliases and what aliases expand to.

    The checks run while the document is composed, so an alias bomb (a few lines whose
    aliases expand to billions of values) or a deeply nested document is refused at the
    line where it crosses a limit, before anything walks the expanded structure. An
    alias refers to its anchor's value without copying it; ``expansion`` counts the
    values a consumer walking the document would meet through aliases.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.max_depth = limits.setting("LNREPORT_YAML_MAX_DEPTH")
        self.max_aliases = limits.setting("LNREPORT_YAML_MAX_ALIASES")
        self.max_expansion = limits.setting("LNREPORT_YAML_MAX_EXPANSION")
        self.depth = 0
        self.aliases = 0
        self.expansion = 0
        self.values = 0  # values composed so far, aliases counted at their expanded size
        self.sizes: dict[str, int] = {}  # anchor -> expanded size, once its value is complete

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._count_alias(event)
            return super().compose_node(parent, index)
        is_collection = isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent))
        if is_collection and self.depth >= self.max_depth:
            raise YamlLimitError(
                None, None,
                f"the YAML nests deeper than {self.max_depth} levels (LNREPORT_YAML_MAX_DEPTH); "
                "flatten the structure", event.start_mark)
        before = self.values
        self.values += 1
        self.depth += is_collection
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= is_collection
        if event.anchor is not None:
            self.sizes[event.anchor] = self.values - before
        return node

    def _count_alias(self, event) -> None:
        self.aliases += 1
        if self.aliases > self.max_aliases:
            raise YamlLimitError(
                None, None,
                f"the YAML uses more than {self.max_aliases} aliases "
                "(LNREPORT_YAML_MAX_ALIASES); write the values out instead of `*alias`",
                event.start_mark)
        if event.anchor in self.anchors and event.anchor not in self.sizes:
            raise YamlLimitError(
                None, None, f"the alias *{event.anchor} refers to a value that contains it "
                "(a recursive structure); remove the alias", event.start_mark)
        size = self.sizes.get(event.anchor, 0)
        self.values += size
        self.expansion += size
        if self.expansion > self.max_expansion:
            raise YamlLimitError(
                None, None,
                f"the YAML's aliases expand to more than {self.max_expansion} values "
                "(LNREPORT_YAML_MAX_EXPANSION), which looks like an alias bomb; write the "
                "values out instead of repeating `*alias`", event.start_mark)


def load_yaml(text: str) -> Any:
    """Parse YAML text like ``yaml.safe_load``, within the limits of :mod:`lnutils.limits`.

    Raises
    ------
    yaml.YAMLError
        When the text is not YAML; :class:`YamlLimitError` (a ``YAMLError`` with the
        line in ``problem_mark``) when it is larger, deeper or expands further than the
        limits allow.
    """
    _check_yaml_size(text)
    return yaml.load(text, Loader=BoundedSafeLoader)  # noqa: S506 -- a SafeLoader


def _check_yaml_size(text: str) -> None:
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_yaml_bytes():
        raise YamlLimitError(
            None, None,
            f"the YAML file is {limits.size_text(size)}, more than the "
            f"{limits.size_text(limits.max_yaml_bytes())} allowed (LNREPORT_MAX_YAML_MB); "
            "split it, or raise the limit if it really is this large", None)


def yaml_key_lines(text: str) -> tuple[dict[tuple, int], list[tuple[tuple, int]]]:
    """Map every key path of a YAML document to its 1-based line, and find duplicate keys.

    Returns ``(lines, duplicates)``: ``lines[("questions", "3", "routing")]`` is the line
    of that key (path parts as strings, list indices as ``"3"``); ``duplicates`` lists
    ``(path, line)`` of keys that appear twice in one mapping (PyYAML silently keeps the
    last one, which hides mistakes); their paths hold list indices as ints.

    Raises
    ------
    yaml.YAMLError
        When the text is not YAML.
    """
    lines: dict[tuple, int] = {}
    duplicates: list[tuple[tuple, int]] = []

    def walk(node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                key = (*path, str(key_node.value))
                if key in seen:
                    duplicates.append((key, key_node.start_mark.line + 1))
                seen.add(key)
                lines.setdefault(tuple(map(str, key)), key_node.start_mark.line + 1)
                walk(value_node, key)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                key = (*path, i)
                lines.setdefault(tuple(map(str, key)), item.start_mark.line + 1)
                walk(item, key)

    _check_yaml_size(text)
    root = yaml.compose(text, Loader=BoundedSafeLoader)
    if root is not None:
        walk(root, ())
    return lines, duplicates
