"""Checked claims and conditional text: ``{{< claim EXPR >}}`` and ``{{< if EXPR >}}``.

A placeholder (``{{< fact KEY >}}``) makes a number or a label follow the data; a
word such as «flertallet» or «lavest» can only follow the data if the build checks
it. Two directives do that, in narrative Markdown and in notebook Markdown cells::

    {{< claim q.x.nonanswer.vet_ikke == 0 >}}Ingen svarte «Vet ikke».
    {{< if a.mean > b.mean >}}høyere{{< elif a.mean < b.mean >}}lavere{{< else >}}like
    høyt{{< /if >}}

``claim`` renders nothing and stops the build when its expression is false, naming
the file, the line, the claim and the value of every key in it. ``if`` keeps the
text of the first branch whose expression is true (``elif`` and ``else`` optional);
blocks nest. A directive alone on its line takes the whole line with it, so that
block-level branches leave no blank lines behind.

Expressions are a small language parsed by :mod:`lark` and evaluated here (never by
Python's ``eval``):

- fact keys as written by ``lnreport facts`` (``q.x.item.y.mean``), a
  key with spaces in backticks (```activities_table_1.Arbeidsgruppe møter```);
- numbers (``3``, ``4.5``), strings in double quotes, ``true``, ``false``,
  ``null`` and lists (``["a", "b"]``);
- comparisons ``== != < <= > >=``, ``in`` and ``not in``, chained as in Python;
- ``+ - * /`` (write spaces around ``-``: a hyphen joins words in a key),
  ``and``, ``or``, ``not`` and parentheses;
- ``len(x)`` (items of a list, characters of a text), ``has(KEY)`` (whether the
  facts hold the key; the only place an absent key is not an error), ``min``,
  ``max`` of lists or several arguments.

The whole expression must give ``true`` or ``false``.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

from lnutils.render.errors import RenderError

GRAMMAR = r"""
?start: or_test
?or_test: and_test ("or" and_test)*
?and_test: not_test ("and" not_test)*
?not_test: "not" not_test -> not_
         | comparison
?comparison: sum (comp_op sum)*
!comp_op: "==" | "!=" | "<=" | ">=" | "<" | ">" | "in" | "not" "in"
?sum: product (ADD_OP product)*
?product: atom (MUL_OP atom)*
?atom: NUMBER -> number
     | STRING -> string
     | "true" -> true
     | "false" -> false
     | "null" -> null
     | KEY -> key
     | QKEY -> key
     | FUNC "(" [or_test ("," or_test)*] ")" -> call
     | "has" "(" (KEY | QKEY) ")" -> has
     | "[" [or_test ("," or_test)*] "]" -> list_
     | "(" or_test ")"
FUNC.2: /(len|min|max)(?=\s*\()/
ADD_OP: "+" | /-(?=\s)/
MUL_OP: "*" | "/"
NUMBER: /-?\d+(\.\d+)?/
STRING: /"[^"]*"/
KEY: /[^\W\d][\w-]*(\.[\w-]+)*/
QKEY: /`[^`]+`/
%ignore /\s+/
"""

# {{< claim ... >}}, {{< if ... >}}, {{< elif ... >}}, {{< else >}}, {{< /if >}}
DIRECTIVE_RE = re.compile(r"\{\{<\s*(?P<name>claim|if|elif|else|/if)\b(?P<expr>.*?)>\}\}",
                          re.DOTALL)
_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated (message names the cause)."""


@functools.cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


@functools.lru_cache(maxsize=1024)
def parse_expression(text: str) -> Tree:
    """Parse a claim's expression; raise :class:`ExpressionError` saying where it breaks."""
    if not text.strip():
        raise ExpressionError("the expression is empty")
    try:
        return _parser().parse(text)
    except UnexpectedInput as exc:
        near = text[max(0, exc.column - 1):][:20] if exc.column > 0 else text[:20]
        raise ExpressionError(f"cannot read the expression at column {exc.column} "
                              f"(near {near!r})") from None
    except LarkError as exc:
        raise ExpressionError(f"cannot read the expression: {exc}") from None


def expression_keys(text: str) -> list[str]:
    """The fact keys an expression reads, in order of appearance (no duplicates)."""
    keys: list[str] = []
    for token in parse_expression(text).scan_values(lambda t: isinstance(t, Token)):
        if token.type in {"KEY", "QKEY"}:
            key = _key_name(token)
            if key not in keys:
                keys.append(key)
    return keys


def _key_name(token: Token) -> str:
    return token[1:-1] if token.type == "QKEY" else str(token)


def evaluate(text: str, facts: Mapping[str, Any]) -> Any:
    """The value of an expression over the flat facts.

    Raises
    ------
    ExpressionError
        For a syntax error, an unknown key, or values that cannot be compared.
    """
    return _Evaluator(facts).eval(parse_expression(text))


def evaluate_condition(text: str, facts: Mapping[str, Any]) -> bool:
    """Evaluate an expression that must give true or false."""
    value = evaluate(text, facts)
    if not isinstance(value, bool):
        raise ExpressionError(f"the expression gives {value!r}, not true or false; "
                              "compare it with something (== != < <= > >=)")
    return value


class _Evaluator:
    def __init__(self, facts: Mapping[str, Any]):
        self.facts = facts

    def eval(self, node: Tree | Token) -> Any:
        if isinstance(node, Token):
            raise ExpressionError(f"unexpected {node!s}")
        method = getattr(self, "_" + node.data.rstrip("_"))
        return method(*node.children)

    def _number(self, token):
        return float(token) if "." in token else int(token)

    def _string(self, token):
        return str(token)[1:-1]

    def _true(self):
        return True

    def _false(self):
        return False

    def _null(self):
        return None

    def _key(self, token):
        key = _key_name(token)
        if key not in self.facts:
            raise ExpressionError(f"unknown fact {key!r}; see `lnreport facts PIPELINE` "
                                  "for the fact names")
        return self.facts[key]

    def _has(self, token):
        return _key_name(token) in self.facts

    def _list(self, *items):
        return [self.eval(i) for i in items]

    def _not(self, node):
        return not _boolean(self.eval(node), "not")

    def _or_test(self, *nodes):
        return any(_boolean(self.eval(n), "or") for n in nodes)

    def _and_test(self, *nodes):
        return all(_boolean(self.eval(n), "and") for n in nodes)

    def _sum(self, *children):
        return self._arith(children)

    def _product(self, *children):
        return self._arith(children)

    def _arith(self, children):
        value = self.eval(children[0])
        for op, node in zip(children[1::2], children[2::2], strict=True):
            left, right = _numeric(value, op), _numeric(self.eval(node), op)
            if op == "/" and right == 0:
                raise ExpressionError("division by zero")
            value = _ARITH[str(op)](left, right)
        return value

    def _comparison(self, *children):
        left = self.eval(children[0])
        for op_node, node in zip(children[1::2], children[2::2], strict=True):
            op = " ".join(str(t) for t in op_node.children)
            right = self.eval(node)
            if not _compare(op, left, right):
                return False
            left = right
        return True

    def _call(self, name, *args):
        values = [self.eval(a) for a in args]
        name = str(name)
        if name == "len":
            if len(values) != 1 or not isinstance(values[0], (list, str)):
                raise ExpressionError(f"len() needs one list or text, got {values!r}")
            return len(values[0])
        items = values[0] if len(values) == 1 and isinstance(values[0], list) else values
        if not items or not all(_is_number(v) for v in items):
            raise ExpressionError(f"{name}() needs numbers, got {values!r}")
        return min(items) if name == "min" else max(items)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numeric(value: Any, op: str) -> float:
    if not _is_number(value):
        raise ExpressionError(f"{op!s} needs numbers, got {value!r}")
    return value


def _boolean(value: Any, op: str) -> bool:
    if not isinstance(value, bool):
        raise ExpressionError(f"{op!r} needs true or false on both sides, got {value!r}")
    return value


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in {"in", "not in"}:
        if not isinstance(right, (list, str)):
            raise ExpressionError(f"'{op}' needs a list or text on its right, got {right!r}")
        return (left in right) == (op == "in")
    if op in {"==", "!="}:
        return _COMPARE[op](left, right)
    if not ((_is_number(left) and _is_number(right))
            or (isinstance(left, str) and isinstance(right, str))):
        if left is None or right is None:
            raise ExpressionError(
                f"a fact compared with {op!r} has no value for these data (None); check "
                f"`has(…)` or `… != null` before comparing it")
        raise ExpressionError(f"cannot order {left!r} and {right!r} with {op!r}")
    return _COMPARE[op](left, right)


# --- directives in text ----------------------------------------------------------------

@dataclass(frozen=True)
class Directive:
    """One ``{{< claim/if/elif/else//if >}}`` in a text, with where it stands."""

    name: str
    expr: str
    start: int
    end: int
    line: int

    @property
    def text(self) -> str:
        return f"{{{{< {self.name} {self.expr} >}}}}".replace("  ", " ")


def find_directives(text: str, first_line: int = 1) -> list[Directive]:
    """Every directive in ``text`` with its character span and line number."""
    found = []
    for match in DIRECTIVE_RE.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        found.append(Directive(match.group("name"), match.group("expr").strip(),
                               match.start(), match.end(), line))
    return found


@dataclass
class Block:
    """An ``if`` block: its branches (directive, span of text) and its end."""

    opening: Directive
    branches: list[tuple[Directive, int, int]]
    end: Directive | None = None


def block_structure(directives: list[Directive], where) -> tuple[list[Block], list[str]]:
    """Pair every ``if`` with its ``elif``/``else``/``/if``; return the blocks and problems."""
    stack: list[Block] = []
    blocks: list[Block] = []
    problems: list[str] = []
    for d in directives:
        if d.name == "if":
            stack.append(Block(d, [(d, d.end, -1)]))
        elif d.name in {"elif", "else", "/if"}:
            if not stack:
                problems.append(f"{where(d.line)}: {{{{< {d.name} >}}}} without an open "
                                "{{< if ... >}}")
                continue
            block = stack[-1]
            last, start, _ = block.branches[-1]
            if last.name == "else" and d.name != "/if":
                problems.append(f"{where(d.line)}: {{{{< {d.name} >}}}} after {{{{< else >}}}}; "
                                "the else branch comes last")
                continue
            block.branches[-1] = (last, start, d.start)
            if d.name == "/if":
                block.end = d
                blocks.append(stack.pop())
            else:
                block.branches.append((d, d.end, -1))
            if d.name == "else" and d.expr:
                problems.append(f"{where(d.line)}: {{{{< else >}}}} takes no expression; "
                                f"use {{{{< elif {d.expr} >}}}}")
            if d.name == "elif" and not d.expr:
                problems.append(f"{where(d.line)}: {{{{< elif >}}}} needs an expression")
    for block in stack:
        problems.append(f"{where(block.opening.line)}: {{{{< if {block.opening.expr} >}}}} "
                        "is never closed; end it with {{< /if >}}")
    return blocks, problems


def select_lines(text: str, facts: Mapping[str, Any], source: str | Path,
                 first_line: int = 1, *, claims: bool = True) -> list[tuple[int, str]]:
    """Check the claims and choose the branches of ``text``; keep each line's number.

    ``claims=False`` chooses the branches without checking the claims (validation asks
    only which placeholders the rendered text will hold).

    Returns
    -------
    list of (line number in ``source``, line)
        The text with directives removed, claims checked and, of each ``if`` block, only
        the branch whose expression holds.

    Raises
    ------
    RenderError
        Naming file and line for a false claim (with the value of every key in it), an
        unknown key, an expression that cannot be read, or a broken if/else block;
        every problem in the text is listed at once.
    """
    def where(line: int) -> str:
        return f"{source}, line {line}"

    directives = find_directives(text, first_line)
    if not directives:
        return [(first_line + i, line) for i, line in enumerate(text.split("\n"))]
    blocks, problems = block_structure(directives, where)
    if problems:
        raise RenderError("\n".join(problems))
    dropped = _dropped_spans(text, directives, blocks, facts, where, problems, claims)
    if problems:
        raise RenderError("\n".join(problems))
    return _kept_lines(text, dropped, first_line)


def _dropped_spans(text, directives, blocks, facts, where, problems,
                   claims: bool = True) -> list[tuple[int, int]]:
    """Spans to leave out: directives, branches not chosen; claims checked on the way."""
    spans = [_directive_span(text, d) for d in directives]
    skipped: list[tuple[int, int]] = []
    for block in sorted(blocks, key=lambda b: b.opening.start):
        if any(s <= block.opening.start < e for s, e in skipped):
            continue  # inside a branch that is left out: its conditions do not matter
        chosen = False
        for d, start, end in block.branches:
            keep = False
            if not chosen:
                if d.name == "else":
                    keep = True
                else:
                    try:
                        keep = evaluate_condition(d.expr, facts)
                    except ExpressionError as exc:
                        problems.append(f"{where(d.line)}: {{{{< {d.name} {d.expr} >}}}}: {exc}")
            if keep:
                chosen = True
            else:
                skipped.append((start, end))
    for d in directives if claims else ():
        if d.name == "claim" and not any(s <= d.start < e for s, e in skipped):
            message = check_claim(d.expr, facts)
            if message:
                problems.append(f"{where(d.line)}: {message}")
    return spans + skipped


def check_claim(expr: str, facts: Mapping[str, Any]) -> str | None:
    """None when the claim holds, else what is wrong with it (claim and values)."""
    try:
        holds = evaluate_condition(expr, facts)
    except ExpressionError as exc:
        return f"claim {expr!r}: {exc}"
    if holds:
        return None
    values = ", ".join(f"{k} = {facts.get(k)!r}" for k in expression_keys(expr))
    return (f"claim no longer holds: {expr}" + (f" ({values})" if values else "")
            + "; the data changed: rewrite the sentence, or make it conditional "
              "with {{< if ... >}}")


def _directive_span(text: str, d: Directive) -> tuple[int, int]:
    """The directive's span, widened to its whole line when it stands alone on it."""
    line_start = text.rfind("\n", 0, d.start) + 1
    line_end = text.find("\n", d.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:d.start].strip() == "" and text[d.end:line_end].strip() == "":
        return line_start, min(line_end + 1, len(text))
    return d.start, d.end


def _kept_lines(text: str, dropped: list[tuple[int, int]],
                first_line: int) -> list[tuple[int, str]]:
    keep = [True] * len(text)
    for start, end in dropped:
        for i in range(start, end):
            keep[i] = False
    lines: list[tuple[int, str]] = []
    buffer: list[str] = []
    line_no = first_line  # source line of the current output line
    current = first_line  # source line of the next character
    started = False
    for i, char in enumerate(text):
        if keep[i]:
            if not started:
                line_no, started = current, True
            if char == "\n":
                lines.append((line_no, "".join(buffer)))
                buffer, started = [], False
            else:
                buffer.append(char)
        if char == "\n":
            current += 1
    lines.append((line_no if started else current, "".join(buffer)))
    return lines
