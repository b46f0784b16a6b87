/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-module"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "reel-core-error.h"
#include "reel-module.h"

/* The folders a module is looked for in: those of STORYREEL_MODULE_DIR when it is set (the
 * tests and `meson devenv` set it to the build tree), else the program's own folder (where
 * the build puts them beside it, so that _build/src/storyreel run by hand never picks up an
 * installed copy from another version; an installed program has none there), then where
 * they are installed. */
static GStrv
module_dirs (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *override = g_getenv ("STORYREEL_MODULE_DIR");

  if (override != NULL && *override != '\0')
    {
      g_auto(GStrv) dirs = g_strsplit (override, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        if (*dirs[i] != '\0')
          g_strv_builder_add (builder, dirs[i]);
    }
  else
    {
      g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

      if (program != NULL)
        {
          g_autofree char *program_dir = g_path_get_dirname (program);

          g_strv_builder_add (builder, program_dir);
        }
      g_strv_builder_add (builder, PKGLIBDIR);
    }

  return g_strv_builder_end (builder);
}

/**
 * reel_module_dup_path:
 * @name: the module's name ("curl" for storyreel-curl.so)
 *
 * Returns: (transfer full) (nullable): the file the module would be loaded from, %NULL if
 *   it is in none of the folders searched
 */
char *
reel_module_dup_path (const char *name)
{
  g_auto(GStrv) dirs = module_dirs ();
  g_autofree char *basename = g_strdup_printf ("storyreel-%s.%s", name, G_MODULE_SUFFIX);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], basename, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  return NULL;
}

/**
 * reel_module_load:
 * @name: the module's name ("curl" for storyreel-curl.so)
 * @api_size: the size of the table the caller expects
 * @error: return location for a #GError (%REEL_CORE_ERROR_MISSING_MODULE)
 *
 * Loads a backend module (once per process is enough: it stays loaded) and returns its
 * table of functions. Blocking (the dynamic loader reads and relocates the libraries):
 * call it where the backend is first needed, off the main thread when possible.
 *
 * Returns: (transfer none) (nullable): the module's table, alive until the process ends
 */
gconstpointer
reel_module_load (const char  *name,
                  gsize        api_size,
                  GError     **error)
{
  g_autofree char *path = reel_module_dup_path (name);
  g_autofree char *basename = g_strdup_printf ("storyreel-%s.%s", name, G_MODULE_SUFFIX);
  GModule *module;
  ReelModuleGetApi get_api = NULL;
  gconstpointer api;

  if (path == NULL)
    {
      g_auto(GStrv) dirs = module_dirs ();
      g_autofree char *searched = g_strjoinv (", ", dirs);

      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_MISSING_MODULE,
                   /* Translators: "storyreel-curl.so" and the folders it was looked for in */
                   _("A part of Storyreel is missing: %s is in none of %s. Reinstall "
                     "Storyreel."), basename, searched);
      return NULL;
    }

  /* Local: the backend's libraries stay out of the program's namespace. */
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_MISSING_MODULE,
                   /* Translators: the module's file, then the system's reason (which
                    * usually names the library that is not installed) */
                   _("A part of Storyreel, %s, could not be loaded: %s. Install the library "
                     "it names, or reinstall Storyreel."), path, g_module_error ());
      return NULL;
    }

  if (!g_module_symbol (module, REEL_MODULE_GET_API_SYMBOL, (gpointer *) &get_api)
      || get_api == NULL || (api = get_api (api_size)) == NULL)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_MISSING_MODULE,
                   _("A part of Storyreel, %s, belongs to another version of Storyreel. "
                     "Reinstall Storyreel."), path);
      g_module_close (module);
      return NULL;
    }

  /* Its tables and the libraries' state are used until the process ends. */
  g_module_make_resident (module);
  g_debug ("Loaded %s", path);
  return api;
}
