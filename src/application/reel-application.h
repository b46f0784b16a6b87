/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REEL_TYPE_APPLICATION (reel_application_get_type ())

G_DECLARE_FINAL_TYPE (ReelApplication, reel_application, REEL, APPLICATION, AdwApplication)

ReelApplication *reel_application_new (void);

G_END_DECLS
