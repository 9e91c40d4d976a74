"""Where each key of a TOML document sits, so that errors can name the line.

``tomllib`` reports positions only for syntax errors; a plan file's semantic errors (an unknown
task id, a wrong type) come with a key path instead. This module scans the text once and maps
every key path — tables, array-of-tables entries, keys, dotted keys, inline-table keys and
array elements — to the line where it is written. It assumes the text already parsed as TOML.

Arrays and inline tables are followed ``MAX_DEPTH`` levels deep; anything deeper is stepped
over without recursing, so a pathological text cannot exhaust the stack here (its keys then
report the line of the deepest key above them).
"""

from __future__ import annotations

import re
import tomllib

from summitry.errors import KeyPath

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

MAX_DEPTH = 32
"""The deepest a plan file may nest tables and arrays (a plan itself needs six levels)."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}

    # -- low level ---------------------------------------------------------------------------
    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        chunk = self.text[self.pos : self.pos + count]
        self.line += chunk.count("\n")
        self.pos += count

    def skip_blank(self, newlines: bool) -> None:
        """Skip spaces, tabs, comments and (when asked) newlines."""
        while self.pos < len(self.text):
            char = self.peek()
            if char in " \t" or (newlines and char == "\n"):
                self.advance()
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.advance((len(self.text) if end < 0 else end) - self.pos)
            else:
                return

    def mark(self, path: KeyPath) -> None:
        self.lines.setdefault(path, self.line)

    # -- keys and strings --------------------------------------------------------------------
    def string(self) -> str:
        start = self.pos
        raw = self._raw_string()
        if self.text[start] == '"' and "\\" in raw:
            # Keys may carry escapes ("\u00e9"); let the TOML reader decode them.
            decoded: str = tomllib.loads(f"k = {self.text[start : self.pos]}")["k"]
            return decoded
        return raw

    def _raw_string(self) -> str:
        quote = self.peek()
        triple = self.text.startswith(quote * 3, self.pos)
        delimiter = quote * 3 if triple else quote
        self.advance(len(delimiter))
        out: list[str] = []
        while self.pos < len(self.text) and not self.text.startswith(delimiter, self.pos):
            if quote == '"' and self.peek() == "\\":
                out.append(self.text[self.pos : self.pos + 2])
                self.advance(2)
            else:
                out.append(self.peek())
                self.advance()
        self.advance(len(delimiter))
        # Closing quotes may run on ("""a""""): the extra quotes belong to the string.
        while triple and self.peek() == quote:
            self.advance()
        return "".join(out)

    def key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            if self.peek() in "\"'":
                parts.append(self.string())
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    break
                parts.append(match.group())
                self.advance(match.end() - self.pos)
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                break
            self.advance()
        return tuple(parts)

    # -- values ------------------------------------------------------------------------------
    def value(self, path: KeyPath) -> None:
        self.skip_blank(newlines=False)
        char = self.peek()
        if char in "\"'":
            self.string()
        elif char in "[{" and len(path) > MAX_DEPTH:
            self.skip_nested()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            while self.pos < len(self.text) and self.peek() not in ",]}\n#":
                self.advance()

    def skip_nested(self) -> None:
        """Step over one array or inline table, however deep, with a counter, not recursion."""
        depth = 0
        while self.pos < len(self.text):
            char = self.peek()
            if char in "\"'":
                self.string()
                continue
            if char == "#":
                self.skip_blank(newlines=False)
                continue
            self.advance()
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return

    def array(self, path: KeyPath) -> None:
        self.advance()  # [
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() in "]":
                self.advance()
                return
            if self.peek() == "":
                return
            self.mark((*path, index))
            self.value((*path, index))
            index += 1
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.advance()

    def inline_table(self, path: KeyPath) -> None:
        self.advance()  # {
        while True:
            self.skip_blank(newlines=True)
            if self.peek() in "}":
                self.advance()
                return
            if self.peek() == "":
                return
            self.key_value(path)
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.advance()

    def key_value(self, table: KeyPath) -> None:
        line = self.line
        parts = self.key()
        for depth in range(1, len(parts) + 1):
            self.lines.setdefault((*table, *parts[:depth]), line)
        self.skip_blank(newlines=False)
        if self.peek() == "=":
            self.advance()
            self.value((*table, *parts))

    # -- document ----------------------------------------------------------------------------
    def document(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        counters: dict[tuple[str, ...], int] = {}
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return self.lines
            if self.peek() == "[":
                is_array = self.text.startswith("[[", self.pos)
                self.advance(2 if is_array else 1)
                parts = self.key()
                self.advance(2 if is_array else 1)
                if is_array:
                    index = counters.get(parts, 0)
                    counters[parts] = index + 1
                    self.mark(parts)
                    table = (*parts, index)
                else:
                    table = parts
                for depth in range(1, len(table) + 1):
                    self.mark(table[:depth])
            else:
                before = self.pos
                self.key_value(table)
                if self.pos == before:  # not TOML after all: step over the character
                    self.advance()


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map every key path written in a TOML text to its 1-based line.

    Usage: ``key_lines(text)[("tasks", "venue-survey", "depends_on")]`` gives that key's line.
    """
    return _Scanner(text).document()


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path``, or of its longest prefix that is written in the file.

    Usage: ``line_of(key_lines(text), ("tasks", "a", "estimate", "optimistic"))``.
    """
    for depth in range(len(path), 0, -1):
        line = lines.get(path[:depth])
        if line is not None:
            return line
    return None
