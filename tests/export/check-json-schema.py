#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validate a JSON document against a JSON Schema, standard library only.

Usage: check-json-schema.py SCHEMA DOCUMENT

Implements the subset of JSON Schema 2020-12 that data/schema/storyreel-project.schema.json
uses, and refuses any keyword it does not implement, so that the schema cannot quietly grow
beyond what is checked. Prints every violation with its JSON pointer; exits 1 when there is
one, 2 on bad usage.
"""

import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "format"}
KEYWORDS = {
    "type", "const", "enum", "properties", "required", "additionalProperties", "items",
    "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "pattern", "minLength",
    "oneOf", "$ref",
} | ANNOTATIONS

DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def type_matches(value, name):
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise ValueError(f"unknown type {name}")


class Validator:
    def __init__(self, root):
        self.root = root
        self.errors = []

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported: {ref}")
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def fail(self, pointer, message):
        self.errors.append(f"{pointer or '/'}: {message}")

    def check(self, schema, value, pointer=""):
        unknown = set(schema) - KEYWORDS
        if unknown:
            raise ValueError(f"schema keyword(s) not implemented: {sorted(unknown)}")

        if "$ref" in schema:
            self.check(self.resolve(schema["$ref"]), value, pointer)

        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(type_matches(value, t) for t in types):
                self.fail(pointer, f"{json.dumps(value)[:60]} is not of type {types}")
                return

        if "const" in schema and (value != schema["const"]
                                  or type(value) is not type(schema["const"])):
            self.fail(pointer, f"must be {json.dumps(schema['const'])}")
        if "enum" in schema and value not in schema["enum"]:
            self.fail(pointer, f"{json.dumps(value)} is not one of {schema['enum']}")

        if "oneOf" in schema:
            matches = 0
            for option in schema["oneOf"]:
                sub = Validator(self.root)
                sub.check(option, value, pointer)
                matches += not sub.errors
            if matches != 1:
                self.fail(pointer, f"matches {matches} of the oneOf schemas, not exactly 1")

        if isinstance(value, str):
            if "pattern" in schema and re.search(schema["pattern"], value) is None:
                self.fail(pointer, f"{value!r} does not match {schema['pattern']}")
            if "minLength" in schema and len(value) < schema["minLength"]:
                self.fail(pointer, f"shorter than {schema['minLength']}")
            if schema.get("format") == "date-time" and not DATE_TIME.match(value):
                self.fail(pointer, f"{value!r} is not an RFC 3339 date-time")

        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                self.fail(pointer, f"{value} < {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                self.fail(pointer, f"{value} > {schema['maximum']}")
            if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
                self.fail(pointer, f"{value} <= {schema['exclusiveMinimum']}")

        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                self.fail(pointer, f"fewer than {schema['minItems']} items")
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                self.fail(pointer, f"more than {schema['maxItems']} items")
            if "items" in schema:
                for i, item in enumerate(value):
                    self.check(schema["items"], item, f"{pointer}/{i}")

        if isinstance(value, dict):
            properties = schema.get("properties", {})
            for name in schema.get("required", []):
                if name not in value:
                    self.fail(pointer, f"lacks required member {name!r}")
            for name, member in value.items():
                child = f"{pointer}/{name}"
                if name in properties:
                    self.check(properties[name], member, child)
                elif schema.get("additionalProperties") is False:
                    self.fail(child, "is not allowed here")
                elif isinstance(schema.get("additionalProperties"), dict):
                    self.check(schema["additionalProperties"], member, child)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(argv[2], encoding="utf-8") as f:
        # Numbers keep their JSON type: 48 is an integer, 48.0 a number.
        document = json.load(f)
    validator = Validator(schema)
    validator.check(schema, document)
    for error in validator.errors:
        print(error)
    return 1 if validator.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
