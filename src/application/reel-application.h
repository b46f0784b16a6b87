/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REEL_TYPE_APPLICATION (reel_application_get_type ())

G_DECLARE_FINAL_TYPE (ReelApplication, reel_application, REEL, APPLICATION, AdwApplication)

/**
 * ReelAccelerator:
 * @action: detailed action name ("win.show-view::board")
 * @accels: up to two accelerators, NULL-terminated
 * @unless_typing: only when the focused widget does not use the key itself
 */
typedef struct
{
  const char *action;
  const char *accels[3];
  gboolean    unless_typing;
} ReelAccelerator;

void                   reel_application_begin_startup_probe (void);
ReelApplication       *reel_application_new              (void);
const ReelAccelerator *reel_application_get_accelerators (guint *n_accelerators);

G_END_DECLS
