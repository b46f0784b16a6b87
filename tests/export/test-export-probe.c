/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "export-test-util.h"
#include "media/reel-media-error.h"
#include "media/reel-media-probe.h"

/*
 * The discoverer's answers the FCPXML export builds its plate assets from: rate, size,
 * length and sound of footage made here with GStreamer, a new answer once the file
 * changes, and errors a person can act on for a missing file and for one that is not
 * video.
 */

static void
test_probe_footage (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("probe");
  g_autoptr(GFile) stereo = g_file_get_child (folder, "stereo.mov");
  g_autoptr(GFile) silent = g_file_get_child (folder, "silent.mov");
  g_autoptr(GError) error = NULL;
  ReelMediaInfo info;

  export_test_make_plate (stereo, 320, 180, 25, 1, 50, 2, 48000);
  export_test_make_plate (silent, 160, 90, 30000, 1001, 30, 0, 0);

  g_assert_true (reel_media_probe_file (stereo, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (info.has_video);
  g_assert_cmpint (info.width, ==, 320);
  g_assert_cmpint (info.height, ==, 180);
  g_assert_cmpint (info.rate_num, ==, 25);
  g_assert_cmpint (info.rate_den, ==, 1);
  /* 50 frames at 25 fps: 2 s, to the millisecond. */
  g_assert_cmpint (ABS (info.duration_ns - 2 * G_GINT64_CONSTANT (1000000000)), <, 1000000);
  g_assert_true (info.has_audio);
  g_assert_cmpuint (info.audio_channels, ==, 2);
  g_assert_cmpuint (info.audio_rate, ==, 48000);

  g_assert_true (reel_media_probe_file (silent, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.width, ==, 160);
  g_assert_cmpint (info.rate_num, ==, 30000);
  g_assert_cmpint (info.rate_den, ==, 1001);
  g_assert_false (info.has_audio);
  g_assert_cmpuint (info.audio_channels, ==, 0);
}

/* The cache is per path and modification time: footage rendered again under the same
 * name is looked at again. */
static void
test_probe_changed_file (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("probe-changed");
  g_autoptr(GFile) file = g_file_get_child (folder, "plate.mov");
  g_autoptr(GError) error = NULL;
  ReelMediaInfo info;

  export_test_make_plate (file, 320, 180, 25, 1, 25, 2, 48000);
  g_assert_true (reel_media_probe_file (file, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.rate_num, ==, 25);
  g_assert_true (info.has_audio);

  export_test_make_plate (file, 160, 90, 24000, 1001, 24, 0, 0);
  /* An hour later, whatever the clock's resolution. */
  g_assert_true (g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                              g_get_real_time () / G_USEC_PER_SEC + 3600,
                                              G_FILE_QUERY_INFO_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (reel_media_probe_file (file, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.rate_num, ==, 24000);
  g_assert_cmpint (info.width, ==, 160);
  g_assert_false (info.has_audio);
}

static void
test_probe_errors (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("probe-errors");
  g_autoptr(GFile) missing = g_file_get_child (folder, "gone.mov");
  g_autoptr(GFile) text = g_file_get_child (folder, "notes.mov");
  g_autoptr(GError) error = NULL;
  ReelMediaInfo info;

  g_assert_false (reel_media_probe_file (missing, &info, NULL, &error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "gone.mov"));
  g_clear_error (&error);

  g_assert_true (g_file_replace_contents (text, "not a film\n", 11, NULL, FALSE,
                                          G_FILE_CREATE_NONE, NULL, NULL, &error));
  g_assert_false (reel_media_probe_file (text, &info, NULL, &error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_MEDIA);
  g_assert_nonnull (strstr (error->message, "notes.mov"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/probe/footage", test_probe_footage);
  g_test_add_func ("/export/probe/changed-file", test_probe_changed_file);
  g_test_add_func ("/export/probe/errors", test_probe_errors);

  return export_test_finish (g_test_run ());
}
