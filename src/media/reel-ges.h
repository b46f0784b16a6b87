/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* GES 1.22's headers declare const return values, which -Wextra flags in every file that
 * includes them; include GES through here instead. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-qualifiers"
#include <ges/ges.h>
#pragma GCC diagnostic pop
