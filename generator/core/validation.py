"""Pydantic errors → problems at the exact place in the file, with a hint to fix each."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.core.errors import Problem
from generator.core.source import KeyPath, SourceMap
from generator.core.times import TIMESTAMP_FORMAT_HINT


def field_name(path: KeyPath) -> str:
    """`updates[2].status` for ("updates", 2, "status")."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the file"


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    close = _close(word, list(choices))
    return f"did you mean `{close[0]}`? " if close else ""


def shown(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"`{text[:60]}{'…' if len(text) > 60 else ''}`"


def data_path(data: Any, loc: tuple[Any, ...], tags: typing.Container[str] = ()) -> KeyPath:
    """The part of a pydantic location that indexes into the data (union tags dropped)."""
    path: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and part in tags:
            continue
        if isinstance(data, dict) and isinstance(part, str) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        elif isinstance(data, dict) and isinstance(part, str) and not _is_label(part):
            # A key the data lacks (missing) or should not have (extra): keep it, stop.
            path.append(part)
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _is_label(part: str) -> bool:
    return part in {"items", "text"} or "[" in part


def _model_at(root: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    current: Any = root
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        else:
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[-1] if args else None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [
                a
                for a in args
                if isinstance(_unwrap(a), type) and issubclass(_unwrap(a), BaseModel)
            ]
            tp = models[0] if models else args[0]
        else:
            return tp


def translate(
    exc: ValidationError,
    data: Any,
    source: SourceMap,
    file: str,
    models: typing.Sequence[type[BaseModel]],
    skip_first: bool = False,
    tags: typing.Mapping[str, type[BaseModel]] | None = None,
) -> list[Problem]:
    """One problem per pydantic error, placed and explained. `models` answer "what keys
    are allowed here", the first that knows the place winning. `tags` name the members of
    tagged unions (a channel's `type`): the keys allowed where one applies are its own."""
    tags = tags or {}
    errors = []
    seen: set[tuple[KeyPath, str]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])[1 if skip_first else 0 :]
        path = data_path(data, loc, tags)
        member = next((tags[p] for p in reversed(loc) if isinstance(p, str) and p in tags), None)
        allowed = _field_names(member) if member is not None else _allowed(models, path[:-1])
        if (path, error["type"]) not in seen:
            seen.add((path, error["type"]))
            errors.append((path, error, allowed))
    # `stauts:` is reported once, as a typo of `status`, not also as `status` missing.
    typo_targets = {
        (*path[:-1], close[0])
        for path, error, allowed in errors
        if error["type"] == "extra_forbidden" and (close := _close(str(path[-1]), allowed))
    }
    return [
        _problem(
            error,
            error["type"],
            path,
            source,
            file,
            allowed,
            _described(models, path) if error["type"] == "list_type" else None,
        )
        for path, error, allowed in errors
        if not (error["type"] == "missing" and path in typo_targets)
    ]


def _close(word: str, choices: list[str]) -> list[str]:
    return difflib.get_close_matches(word, choices, n=1, cutoff=0.6)


def _described(models: typing.Sequence[type[BaseModel]], path: KeyPath) -> str | None:
    """What the field at `path` holds, as its model describes it (`Field(description=…)`):
    an example of component ids would mislead under `updates` or `ignore`."""
    for model in models:
        owner = _model_at(model, path[:-1]) if path else None
        field = owner.model_fields.get(str(path[-1])) if owner is not None else None
        if field is not None and field.description:
            return field.description
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _allowed(models: typing.Sequence[type[BaseModel]], parent: KeyPath) -> list[str]:
    keys: dict[str, None] = {}
    for model in models:
        found = _model_at(model, parent)
        if found is not None:
            keys.update(dict.fromkeys(found.model_fields))
    return list(keys)


def _problem(
    error: Any,
    kind: str,
    path: KeyPath,
    source: SourceMap,
    file: str,
    allowed: list[str],
    described: str | None = None,
) -> Problem:
    name = field_name(path)
    value = error.get("input")

    def at(pos: tuple[int, int], rule: str, message: str, hint: str) -> Problem:
        return Problem(file, pos[0], pos[1], "error", rule, message, hint)

    if kind == "extra_forbidden":
        key = str(path[-1])
        where = f" in {field_name(path[:-1])}" if path[:-1] else ""
        hint = did_you_mean(key, allowed)
        if key == "scheduled":
            hint += "`scheduled` belongs to maintenance: add `kind: maintenance`. "
        hint += f"Allowed here: {', '.join(allowed)}." if allowed else "Remove it."
        return at(source.key_pos(path), "unknown-key", f"unknown field `{key}`{where}", hint)
    if kind == "missing":
        key = str(path[-1])
        parent = path[:-1]
        pos = source.mapping_pos(parent)
        where = f" in {field_name(parent)}" if parent else ""
        return at(
            pos,
            "missing-field",
            f"missing required field `{key}`{where}",
            f"add `{key}:` to this mapping",
        )
    pos = source.value_pos(path)
    if kind == "literal_error":
        expected = [
            e.strip(" '") for e in error["ctx"]["expected"].replace(" or ", ", ").split(",")
        ]
        return at(
            pos,
            "invalid-value",
            f"`{name}` is {shown(value)}, not an allowed value",
            f"{did_you_mean(str(value), expected)}Allowed: {', '.join(expected)}.",
        )
    empty = value is None or (isinstance(value, str) and not value.strip())
    if empty and kind in (
        "string_type",
        "value_error",
        "list_type",
        "dict_type",
        "model_type",
        "datetime_type",
        "model_attributes_type",
    ):
        return at(
            pos,
            "empty-field",
            f"`{name}` is empty",
            "fill it in, or remove the key if it is optional",
        )
    if kind == "too_short":
        return at(
            pos, "empty-field", f"`{name}` is empty; it needs at least one entry", "add an entry"
        )
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type", "string_type"):
        wanted = {
            "list_type": described or "a list",
            "dict_type": "a mapping of `key: value` lines",
            "model_type": "a mapping of `key: value` lines",
            "model_attributes_type": "a mapping of `key: value` lines",
            "string_type": "text",
        }[kind]
        return at(
            pos,
            "invalid-value",
            f"`{name}` is {shown(value)}; it must be {wanted}",
            "check the indentation and the brackets",
        )
    if kind == "string_pattern_mismatch":
        return at(
            pos,
            "invalid-value",
            f"`{name}` is {shown(value)}: ids use a-z, 0-9 and -",
            "use lower-case letters, digits and hyphens, e.g. `public-api`",
        )
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    # Every timestamp error ends with the format hint, whatever went wrong (format, calendar,
    # DST gap or overlap), so that is what tells a timestamp problem apart.
    is_time = TIMESTAMP_FORMAT_HINT in message or "timestamp" in message
    rule = "invalid-timestamp" if is_time else "invalid-value"
    text, _, hint = message.partition("; ")
    named = re.match(r"`([a-z_]+(?:\.[a-z_]+)+)`", text)
    if named and (deeper := tuple(named.group(1).split(".")))[: len(path)] == path:
        # A rule over several fields names the one to change: point at it.
        return at(source.value_pos(deeper), rule, text, hint or "check the value")
    if isinstance(value, (dict, list)):
        return at(
            pos,
            rule,
            f"`{name}` is {shown(value)}; {text}",
            "check the indentation and the brackets",
        )
    if kind != "value_error" and value is not None:
        # pydantic's own wording ("Input should be …") does not name the value: add it.
        text = f"is {shown(value)}: {text[:1].lower()}{text[1:]}"
        return at(pos, rule, f"`{name}` {text}", hint or "check the value")
    return at(pos, rule, f"`{name}`: {text}", hint or "check the value")
