"""The OpenAPI 3.1 document rewritten as 3.0 for the bundled Swagger UI.

FastAPI writes OpenAPI 3.1, but the Swagger UI that ships on PyPI (swagger-ui-bundle 1.1.0, Swagger UI
4.15) reads only 3.0 and renders nothing for 3.1. /openapi.json stays 3.1 for clients; /docs reads
this copy. The two differ only in how a schema says "may be null" and "is a file".
"""

from __future__ import annotations

from typing import Any

NULL = {"type": "null"}


def as_openapi_30(spec: dict[str, Any]) -> dict[str, Any]:
    converted = _convert(spec)
    converted["openapi"] = "3.0.3"
    return converted


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _convert(value) for key, value in node.items()}
    variants = converted.get("anyOf")
    if isinstance(variants, list) and NULL in variants:
        rest = [v for v in variants if v != NULL]
        del converted["anyOf"]
        if len(rest) == 1:
            converted = {**rest[0], **converted}
        elif rest:
            converted["anyOf"] = rest
        converted["nullable"] = True
    if converted.pop("contentMediaType", None) is not None:
        converted["format"] = "binary"
    return converted
