/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean reel_cli_is_command (const char *name);
int      reel_cli_run        (int    argc,
                              char **argv);

G_END_DECLS
