"""A small builder of Python source for the registry's generated structuring functions.

Generated code is what makes the hot path fast: one flat function per class with the
strict checks of its fields inlined, no dispatch and no per-field hook calls for scalars.
"""

from __future__ import annotations

import itertools
import linecache
from collections.abc import Callable
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
        self.slots: list[tuple[dict[Any, Any], Any]] = []

    def __call__(self, value: Any) -> Any:
        return self._build()(value)

    def resolve(self, function: Callable[[Any], Any]) -> None:
        for namespace, name in self.slots:
            namespace[name] = function
        self.slots.clear()


INLINE_DEPTH = 3
"""How many levels of nested classes one generated function builds itself."""
_file_counter = itertools.count(2)


def _word(text: str) -> str:
    """``text`` with every character but ASCII letters, digits and ``_`` replaced by ``_``.

    ASCII only: ``²`` is alphanumeric to `str.isalnum` but not allowed in a name, and
    Python reads a name like ``ﬁeld`` as ``field`` (NFKC), which the namespace would not.
    """
    if text.isascii() and text.isidentifier():  # the usual case: a field or class name
        return text
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in text)


class Emitter:
    """Collects lines, indentation and the objects the generated code refers to.

    >>> e = Emitter("double")
    >>> with e.function("v"):
    ...     e.line("return v * 2")
    >>> e.build()(21)
    42

    ``with e.block(header):`` indents what is written inside; the emitter is its own
    context manager for that (a generator-based one costs more than the line it opens).
    """

    def __init__(self, name: str, title: str | None = None) -> None:
        self.name = _word(name)[:60] or "structure"
        self.title = title or name
        """What the generated code is called in tracebacks: ``structure app.models.User``."""
        self._lines: list[str] = []
        self._indent = ""
        self._starts: list[int] = []
        self._names: dict[str, Any] = {"Mismatch": Mismatch}
        self._by_id: dict[int, str] = {}
        self._counter = itertools.count()
        self._inlined: list[object] = []

    def line(self, text: str) -> None:
        self._lines.append(self._indent + text)

    def block(self, header: str) -> Emitter:
        """Write ``header`` and indent the lines written in the ``with`` block it opens."""
        self._lines.append(self._indent + header)
        self._indent += "    "
        self._starts.append(len(self._lines))
        return self

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        if len(self._lines) == self._starts.pop():  # a check with nothing to do (an Any field)
            self.line("pass")
        self._indent = self._indent[:-4]

    def function(self, *params: str) -> Emitter:
        return self.block(f"def {self.name}({', '.join(params)}):")

    def may_inline(self, part: object) -> bool:
        """Whether ``part`` (a plan) may write its code here instead of being called: not
        inside itself (a recursive type), and at most `INLINE_DEPTH` levels deep."""
        return part not in self._inlined and len(self._inlined) < INLINE_DEPTH

    def inlining(self, part: object) -> _Inlining:
        """Mark ``part`` as being written out here, for the ``with`` block it opens."""
        return _Inlining(self._inlined, part)

    def local(self, hint: str) -> str:
        """A fresh local variable name: ``_{hint}_{n}``, with a counter no other name has
        (the ``_`` before it keeps ``x1`` + 1 apart from ``x`` + 11)."""
        return f"_{_word(hint)[:20]}_{next(self._counter)}"

    def bind(self, obj: Any, hint: str) -> str:
        """The global name under which the generated code sees ``obj``."""
        key = id(obj)
        if key in self._by_id:
            return self._by_id[key]
        name = f"__{_word(hint)[:20]}_{next(self._counter)}"
        self._names[name] = obj
        self._by_id[key] = name
        return name

    def source(self) -> str:
        return "\n".join(self._lines) + "\n"

    def build(self) -> Callable[..., Any]:
        """Compile the function and return it.

        Its source goes into `linecache` under ``<typedresp generated TITLE>`` (``-2``,
        ``-3``, ... when the title was taken), as cattrs does for its own: tracebacks show
        the generated line and `inspect.getsource` works on the function. The objects the
        code refers to are its globals: a closure would copy every one of them into each
        call's frame, which costs more than the globals' lookups.
        """
        source = self.source()
        filename = f"<typedresp generated {self.title}>"
        while filename in linecache.cache:
            filename = f"<typedresp generated {self.title}-{next(_file_counter)}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        code = compile(source, filename, "exec")
        namespace = dict(self._names)
        exec(code, namespace)
        for name, obj in self._names.items():
            if isinstance(obj, Forward):
                obj.slots.append((namespace, name))
        function: Callable[..., Any] = namespace[self.name]
        return function


class _Inlining:
    """The context of `Emitter.inlining`: ``part`` is on the stack while it is open."""

    __slots__ = ("_part", "_stack")

    def __init__(self, stack: list[object], part: object) -> None:
        self._stack = stack
        self._part = part

    def __enter__(self) -> None:
        self._stack.append(self._part)

    def __exit__(self, *exc_info: object) -> None:
        self._stack.pop()
