#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The JSON export's schema is installed where docs/json-export.md says, and it is the
schema of the version the exporter writes.

Reads what meson will install from the build's introspection data (no install needed):
usage: check-json-schema-install.py SOURCE_ROOT BUILD_ROOT
"""

import json
import os
import re
import sys


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    source_root, build_root = sys.argv[1], sys.argv[2]
    schema_source = os.path.join(source_root, "data", "schema", "storyreel-project.schema.json")

    with open(os.path.join(build_root, "meson-info", "intro-installed.json")) as f:
        installed = json.load(f)
    with open(os.path.join(build_root, "meson-info", "intro-buildoptions.json")) as f:
        options = {o["name"]: o["value"] for o in json.load(f)}

    prefix, datadir = options["prefix"], options["datadir"]
    expected = os.path.join(prefix, datadir, "storyreel", "schema",
                            "storyreel-project.schema.json")
    target = installed.get(os.path.realpath(schema_source)) or installed.get(schema_source)
    if target is None:
        fail(f"{schema_source} is not installed")
    if os.path.normpath(target) != os.path.normpath(expected):
        fail(f"the schema is installed as {target}, not {expected}")

    with open(os.path.join(source_root, "docs", "json-export.md")) as f:
        if "$datadir/storyreel/schema/storyreel-project.schema.json" not in f.read():
            fail("docs/json-export.md does not say where the schema is installed")

    with open(schema_source) as f:
        schema = json.load(f)
    if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        fail("the schema does not declare JSON Schema 2020-12")

    with open(os.path.join(source_root, "src", "export", "reel-export-json.h")) as f:
        match = re.search(r"#define\s+REEL_EXPORT_JSON_SCHEMA_VERSION\s+(\d+)", f.read())
    if match is None:
        fail("no REEL_EXPORT_JSON_SCHEMA_VERSION in reel-export-json.h")
    version = int(match.group(1))
    if schema["properties"]["schema_version"].get("const") != version:
        fail(f"the installed schema is not of version {version}, which the exporter writes")
    if f"-{version}.schema.json" not in schema.get("$id", ""):
        fail(f"the schema's $id does not name version {version}")

    print(f"ok: {expected} (schema version {version})")


if __name__ == "__main__":
    main()
