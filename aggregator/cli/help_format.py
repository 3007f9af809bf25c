"""How options and arguments read in `--help`: names of values, not Python types.

Typer's rich help prints a parameter's type as the Python annotation (`<bool>` after
flags such as `--help`, `<list[Path]>` for files, `<str>`); users need the kind of value
to type, and a flag takes none.  `install()` replaces that one column's text.
"""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperArgument, TyperOption

#: Python type names as click has always shown them.
_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "Path": "PATH", "bool": "BOOLEAN"}


def value_label(shown: str | None) -> str | None:
    """`<list[Path]>` -> `PATH...`, `<int>` -> `INTEGER`, `<a|b>` -> `[a|b]`."""
    if not shown:
        return shown
    text = shown.strip("<>")
    repeated = re.fullmatch(r"list\[(.*)\]", text)
    inner = repeated.group(1) if repeated else text
    label = _NAMES.get(inner, f"[{inner}]" if "|" in inner else inner.upper())
    return label + ("..." if repeated else "")


def install() -> None:
    """Patch the help column once (idempotent)."""
    if getattr(TyperOption, "_aggregator_help", False):
        return
    option_type = TyperOption.display_type_rich
    argument_type = TyperArgument.display_type_rich

    def option_display(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag and self.metavar is None:
            return None  # a flag takes no value
        shown = option_type(self, ctx)
        return shown if self.metavar is not None else value_label(shown)

    def argument_display(self: TyperArgument, ctx: Any) -> str | None:
        # The name column already shows the argument's metavar.
        return None if self.metavar is not None else value_label(argument_type(self, ctx))

    TyperOption.display_type_rich = option_display  # type: ignore[method-assign]
    TyperArgument.display_type_rich = argument_display  # type: ignore[method-assign,assignment]
    TyperOption._aggregator_help = True  # type: ignore[attr-defined]
