"""Typer's parameter coercion without pydantic where it is not needed.

Typer coerces every non-flag parameter through a pydantic ``TypeAdapter``, so any command
with an option would import pydantic (tens of milliseconds) just to hand back the string it
was given. A parameter left unset, text given to a text parameter, True or False to a flag, or a
number to a number parameter is returned as it is here, and a parameter with its own
``parser`` is given to it; anything else goes to Typer's
own coercion, built the first time it is needed, so every message and check stays Typer's.
"""

from __future__ import annotations

from typing import Any


def lighten(command: Any) -> int:
    """Give ``command``'s parameters (and its subcommands') the light coercion; return how
    many. Does nothing if this Typer has no such hook."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # another Typer: its own coercion is used throughout
        return 0

    class Light(RuntimeParam):
        """Values that need no conversion pass; the rest go to Typer's coercion."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.annotation in (str, int, bool) and type(value) is self.annotation:
                return value
            parser = getattr(self.parameter_info, "parser", None)
            if parser is not None and isinstance(value, str):
                try:  # what Typer's coercion does with a parser too, when it succeeds
                    return parser(value)
                except ValueError:
                    pass  # Typer's coercion words the message
            heavy = build_runtime_param(param.type_descriptor)
            param._runtime_param = heavy
            return heavy._coerce_value(value, param=param, ctx=ctx)

    return _walk(command, Light)


def _walk(command: Any, light: type[Any]) -> int:
    done = sum(_lighten_one(param, light) for param in getattr(command, "params", []))
    made = getattr(command, "get_help_option", None)
    if made is not None:  # --help is made when a command is parsed: lighten it then

        def help_option(ctx: Any) -> Any:
            option = made(ctx)
            _lighten_one(option, light)
            return option

        command.get_help_option = help_option
    for sub in getattr(command, "commands", {}).values():
        done += _walk(sub, light)
    return done


def _lighten_one(param: Any, light: type[Any]) -> int:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", 0) is not None:
        return 0
    if descriptor.file_annotation is not None:
        return 0
    param._runtime_param = light(descriptor.parameter_info, descriptor.annotation)
    return 1
