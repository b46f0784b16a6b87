/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "export-test-util.h"
#include "storage/reel-demo.h"

/* PNG panels: one image per shot, at the chosen width and the project aspect, showing the
 * background and the sketch. */

static GdkPixbuf *
load_panel (GFile      *folder,
            const char *name)
{
  g_autoptr(GFile) file = g_file_get_child (folder, name);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (g_file_peek_path (file), &error);

  g_assert_no_error (error);
  return pixbuf;
}

static void
pixel_at (GdkPixbuf *pixbuf,
          int        x,
          int        y,
          guchar     rgb[3])
{
  const guchar *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf)
                    + x * gdk_pixbuf_get_n_channels (pixbuf);

  rgb[0] = p[0], rgb[1] = p[1], rgb[2] = p[2];
}

static void
test_png_awkward (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) parent = export_test_make_folder ("png-awkward");
  g_autoptr(GFile) folder = g_file_get_child (parent, "panels");
  g_autoptr(GFile) keep = g_file_get_child (folder, "notes.txt");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  const char *expected[] = {
    "0001_SC1_SH1A.png", "0002_SC1_SH1B.png", "0003_SC1_SH1C.png", "0004_SC2_SH2A.png",
    "0005_SC2_SH2B.png", "0006_SC2_SH2C.png", "notes.txt", NULL
  };
  guchar rgb[3];

  /* The folder exists and holds a file of the user's: it stays. */
  g_file_make_directory (folder, NULL, &error);
  g_assert_no_error (error);
  g_file_replace_contents (keep, "mine", 4, NULL, FALSE, 0, NULL, NULL, &error);
  g_assert_no_error (error);

  reel_export_options_set_panel_width (options, 478);
  export_test_run ("png", project, options, folder, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (parent);

  names = export_test_list_folder (folder);
  g_assert_cmpstrv (names, expected);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GdkPixbuf) panel = load_panel (folder, expected[i]);

      /* 478 / 2.39 = 200. */
      g_assert_cmpint (gdk_pixbuf_get_width (panel), ==, 478);
      g_assert_cmpint (gdk_pixbuf_get_height (panel), ==, 200);
    }

  /* 2B shows its blue generated background; 2A, with nothing, the neutral grey. */
  {
    g_autoptr(GdkPixbuf) generated = load_panel (folder, expected[4]);
    g_autoptr(GdkPixbuf) empty = load_panel (folder, expected[3]);

    pixel_at (generated, 10, 10, rgb);
    g_assert_cmpint (rgb[0], ==, 0x40);
    g_assert_cmpint (rgb[1], ==, 0x80);
    g_assert_cmpint (rgb[2], ==, 0xc0);
    pixel_at (empty, 10, 10, rgb);
    g_assert_cmpint (rgb[0], ==, rgb[1]);
    g_assert_cmpint (rgb[1], ==, rgb[2]);
    g_assert_cmpint (ABS (rgb[0] - (int) (REEL_PANEL_FILL_RED * 255)), <=, 1);
  }

  /* 1A's sketch is drawn: a dark stroke from (0.1, 0.2) towards (0.3, 0.8). */
  {
    g_autoptr(GdkPixbuf) sketched = load_panel (folder, expected[0]);
    int darkest = 255;

    for (int x = 0; x < 478; x++)
      {
        pixel_at (sketched, x, 100, rgb);
        darkest = MIN (darkest, rgb[0]);
      }
    g_assert_cmpint (darkest, <, 80);
  }
}

static void
test_png_demo (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(GFile) parent = export_test_make_folder ("png-demo");
  g_autoptr(GFile) folder = g_file_get_child (parent, "demo panels");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  export_test_run ("png", project, NULL, folder, &error);
  g_assert_no_error (error);

  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, reel_project_get_n_shots (project));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GdkPixbuf) panel = load_panel (folder, names[i]);

      g_assert_cmpint (gdk_pixbuf_get_width (panel), ==, REEL_EXPORT_PANEL_WIDTH_DEFAULT);
      g_assert_cmpint (gdk_pixbuf_get_height (panel), ==,
                       reel_panel_height_for_width (reel_project_get_aspect_ratio (project),
                                                    REEL_EXPORT_PANEL_WIDTH_DEFAULT));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/png/awkward", test_png_awkward);
  g_test_add_func ("/export/png/demo", test_png_demo);

  return export_test_finish (g_test_run ());
}
