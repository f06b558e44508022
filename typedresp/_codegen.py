"""A small builder of Python source for the registry's generated structuring functions.

Generated code is what makes the hot path fast: one flat function per class with the
strict checks of its fields inlined, no dispatch and no per-field hook calls for scalars.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import Any

__all__ = ["Emitter", "Forward", "Mismatch"]


class Mismatch(Exception):
    """Raised by generated code on the fast path; never escapes the registry."""


class Forward:
    """Stands for a function that is still being built (a type that refers to itself).

    Generated code that binds a forward gets the real function patched into its namespace
    once it exists (`resolve`), so a recursive type costs no extra call per level.
    """

    def __init__(self, build: Callable[[], Callable[[Any], Any]]) -> None:
        self._build = build
        self.slots: list[tuple[dict[str, Any], str]] = []

    def __call__(self, value: Any) -> Any:
        return self._build()(value)

    def resolve(self, function: Callable[[Any], Any]) -> None:
        for namespace, name in self.slots:
            namespace[name] = function
        self.slots.clear()


_NOT_IDENTIFIER = re.compile(r"\W")

INLINE_DEPTH = 3
"""How many levels of nested classes one generated function builds itself."""
_file_counter = itertools.count()


class Emitter:
    """Collects lines, indentation and the objects the generated code refers to.

    >>> e = Emitter("double")
    >>> with e.function("v"):
    ...     e.line("return v * 2")
    >>> e.build()(21)
    42
    """

    def __init__(self, name: str) -> None:
        self.name = _NOT_IDENTIFIER.sub("_", name)[:60] or "structure"
        self._lines: list[str] = []
        self._depth = 0
        self._names: dict[str, Any] = {"Mismatch": Mismatch}
        self._by_id: dict[int, str] = {}
        self._counter = itertools.count()
        self._inlined: list[object] = []

    def line(self, text: str) -> None:
        self._lines.append("    " * self._depth + text)

    @contextmanager
    def block(self, header: str) -> Generator[None, None, None]:
        self.line(header)
        self._depth += 1
        start = len(self._lines)
        try:
            yield
        finally:
            if len(self._lines) == start:  # a check with nothing to do (e.g. an Any field)
                self.line("pass")
            self._depth -= 1

    def function(self, *params: str) -> Any:
        return self.block(f"def {self.name}({', '.join(params)}):")

    def may_inline(self, part: object) -> bool:
        """Whether ``part`` (a plan) may write its code here instead of being called: not
        inside itself (a recursive type), and at most `INLINE_DEPTH` levels deep."""
        return part not in self._inlined and len(self._inlined) < INLINE_DEPTH

    @contextmanager
    def inlining(self, part: object) -> Generator[None, None, None]:
        self._inlined.append(part)
        try:
            yield
        finally:
            self._inlined.pop()

    def local(self, hint: str) -> str:
        """A fresh local variable name."""
        return f"_{_NOT_IDENTIFIER.sub('_', hint)[:20]}{next(self._counter)}"

    def bind(self, obj: Any, hint: str) -> str:
        """The global name under which the generated code sees ``obj``."""
        key = id(obj)
        if key in self._by_id:
            return self._by_id[key]
        name = f"__{_NOT_IDENTIFIER.sub('_', hint)[:20]}{next(self._counter)}"
        self._names[name] = obj
        self._by_id[key] = name
        return name

    def source(self) -> str:
        return "\n".join(self._lines) + "\n"

    def build(self) -> Callable[..., Any]:
        """Compile the function and return it.

        The objects the code refers to are its globals: a closure would copy every one of
        them into each call's frame, which costs more than the globals' lookups.
        """
        filename = f"<typedresp generated {self.name} #{next(_file_counter)}>"
        code = compile(self.source(), filename, "exec")
        namespace = dict(self._names)
        exec(code, namespace)
        for name, obj in self._names.items():
            if isinstance(obj, Forward):
                obj.slots.append((namespace, name))
        function: Callable[..., Any] = namespace[self.name]
        return function
