/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The "format" and "schema_version" members of every JSON export. The schema is
 * data/schema/storyreel-project.schema.json; a change that can break a reader bumps the
 * version (docs/json-export.md). */
#define REEL_EXPORT_JSON_FORMAT         "storyreel-project"
#define REEL_EXPORT_JSON_SCHEMA_VERSION 1

G_END_DECLS
