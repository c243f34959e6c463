"""A check of JSON-LD against the schema.org vocabulary, as msgspec-schemaorg ships it: every
node's @type is a schema.org type, every property belongs to that type (or a type it extends),
and every value is of a type the property's range allows. Properties in careerpath's own
namespace are skipped."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import msgspec_schemaorg.models as vocabulary

PRIMITIVES = {str: {"str", "URL"}, bool: {"bool"}, int: {"int", "float"},
              float: {"int", "float"}}


def _ranges(kind: type[msgspec.Struct]) -> dict[str, set[str]]:
    """Each property of a schema.org type (JSON name) → the type names its range allows."""
    json_names = dict(zip(kind.__struct_fields__, kind.__struct_encode_fields__, strict=True))
    ranges: dict[str, set[str]] = {}
    for cls in reversed(kind.__mro__):
        for name, annotation in getattr(cls, "__annotations__", {}).items():
            ranges[json_names.get(name, name)] = set(re.findall(r"[A-Za-z_]\w*",
                                                                str(annotation)))
    return ranges


def _allowed(value: Any, names: set[str]) -> bool:
    if isinstance(value, dict):
        kind = getattr(vocabulary, value.get("@type", ""), None)
        return kind is not None and any(
            issubclass(kind, getattr(vocabulary, name)) for name in names
            if isinstance(getattr(vocabulary, name, None), type))
    return any(isinstance(value, primitive) and names & accepted
               for primitive, accepted in PRIMITIVES.items())


def assert_schema_org(node: dict[str, Any], path: str = "$") -> None:
    kind = getattr(vocabulary, node.get("@type", ""), None)
    assert isinstance(kind, type) and issubclass(kind, msgspec.Struct), \
        f"{path}: {node.get('@type')!r} is not a schema.org type"
    ranges = _ranges(kind)
    for name, value in node.items():
        if name in ("@type", "@context") or name.startswith("careerpath:"):
            continue
        assert name in ranges, f"{path}: {kind.__name__} has no property {name}"
        for item in value if isinstance(value, list) else [value]:
            assert _allowed(item, ranges[name]), \
                f"{path}.{name}: {item!r} is outside its range {sorted(ranges[name])}"
            if isinstance(item, dict):
                assert_schema_org(item, f"{path}.{name}")
