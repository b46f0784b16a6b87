/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The rule of "Local only", in one place (see reel-address-policy.c). */
gboolean reel_address_policy_is_local (GInetAddress *address);

G_END_DECLS
