/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Storyreel's backends that are not needed to start (libcurl, libsecret, GStreamer
 * Editing Services) live in small modules of their own, storyreel-NAME.so, so that the
 * program starts without loading them. Each module exports one function,
 *
 *   const API *reel_module_get_api (gsize api_size);
 *
 * which returns the table of the backend's functions the program uses, or NULL when
 * @api_size is not the size of the table it was built with (a module from another build). */

#define REEL_MODULE_GET_API_SYMBOL "reel_module_get_api"

typedef gconstpointer (*ReelModuleGetApi) (gsize api_size);

char          *reel_module_dup_path (const char  *name);
gconstpointer  reel_module_load     (const char  *name,
                                     gsize        api_size,
                                     GError     **error);

G_END_DECLS
