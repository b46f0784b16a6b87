/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shots on the clipboard: what is copied comes back whole, in another project, and
 * nothing else is accepted. No display needed: the JSON side only. */
#include "config.h"

#include <string.h>

#include "core/reel-core.h"
#include "reel-test-project.h"
#include "storage/reel-demo.h"
#include "widgets/reel-clipboard.h"

static GPtrArray *
all_shots (ReelProject *project)
{
  GPtrArray *shots = g_ptr_array_new ();

  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      for (guint j = 0; j < reel_scene_get_n_shots (scene); j++)
        g_ptr_array_add (shots, reel_scene_get_shot (scene, j));
    }

  return shots;
}

/* Every read-write property but the id, the sketch and the plate equal. */
static void
assert_shot_fields_equal (ReelShot *original,
                          ReelShot *pasted)
{
  g_autofree GParamSpec **specs = NULL;
  guint n_specs;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (original), &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      GParamSpec *pspec = specs[i];
      g_auto(GValue) a = G_VALUE_INIT;
      g_auto(GValue) b = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE ||
          (pspec->flags & G_PARAM_CONSTRUCT_ONLY) ||
          G_TYPE_FUNDAMENTAL (pspec->value_type) == G_TYPE_OBJECT)
        continue;

      g_value_init (&a, pspec->value_type);
      g_value_init (&b, pspec->value_type);
      g_object_get_property (G_OBJECT (original), pspec->name, &a);
      g_object_get_property (G_OBJECT (pasted), pspec->name, &b);
      /* Boxed values compare by pointer: lists of hashes and cameras by content. */
      if (pspec->value_type == G_TYPE_STRV
          ? !g_strv_equal (g_value_get_boxed (&a), g_value_get_boxed (&b))
          : pspec->value_type == REEL_TYPE_SHOT_CAMERA
          ? !reel_shot_camera_equal (g_value_get_boxed (&a), g_value_get_boxed (&b))
          : g_param_values_cmp (pspec, &a, &b) != 0)
        {
          g_autofree char *expected = g_strdup_value_contents (&a);
          g_autofree char *got = g_strdup_value_contents (&b);

          g_error ("Shot %s: “%s” was %s, pasted as %s", reel_shot_get_number (original),
                   pspec->name, expected, got);
        }
    }

  g_assert_true (reel_sketch_equal (reel_shot_get_sketch (original),
                                    reel_shot_get_sketch (pasted)));
  g_assert_true (reel_plate_equal (reel_shot_get_plate (original),
                                   reel_shot_get_plate (pasted)));
  g_assert_cmpstr (reel_shot_get_id (original), !=, reel_shot_get_id (pasted));
}

static ReelAsset *
find_asset (GPtrArray  *assets,
            const char *hash)
{
  for (guint i = 0; i < assets->len; i++)
    if (g_str_equal (reel_asset_get_hash (g_ptr_array_index (assets, i)), hash))
      return g_ptr_array_index (assets, i);

  return NULL;
}

static void
test_round_trip (void)
{
  for (guint32 n = 0; n < 12; n++)
    {
      guint32 seed = reel_test_seed (1000 + n);
      g_autoptr(ReelProject) source = reel_test_project_random (seed, 2, 3, 6);
      g_autoptr(ReelProject) target = reel_project_new ();
      g_autoptr(GPtrArray) shots = all_shots (source);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(ReelClipboardShots) pasted = NULL;
      g_autoptr(GError) error = NULL;

      reel_project_set_frame_rate (target, reel_project_get_frame_rate (source));

      bytes = reel_clipboard_serialize_shots (source, shots);
      pasted = reel_clipboard_deserialize_shots (bytes, target, &error);
      g_assert_no_error (error);
      g_assert_nonnull (pasted);
      g_assert_cmpuint (pasted->shots->len, ==, shots->len);

      for (guint i = 0; i < shots->len; i++)
        {
          ReelShot *original = g_ptr_array_index (shots, i);
          ReelShot *copy = g_ptr_array_index (pasted->shots, i);
          const char * const *variants = reel_shot_get_variants (original);

          assert_shot_fields_equal (original, copy);
          g_assert_null (reel_shot_get_scene (copy));

          /* Every image the shot shows travels with it, provenance included. */
          for (guint v = 0; variants[v] != NULL; v++)
            {
              ReelAsset *stored = reel_project_lookup_asset (source, variants[v]);
              ReelAsset *carried = find_asset (pasted->assets, variants[v]);

              if (stored == NULL)
                continue;
              g_assert_nonnull (carried);
              g_assert_true (reel_asset_equal (stored, carried));
            }
          if (reel_shot_get_background (original) != NULL &&
              reel_project_lookup_asset (source, reel_shot_get_background (original)) != NULL)
            g_assert_nonnull (find_asset (pasted->assets, reel_shot_get_background (original)));
        }

      /* Nothing of the source project changed. */
      g_assert_false (reel_project_get_modified (source));
    }
}

static void
test_frame_rate (void)
{
  g_autoptr(ReelProject) source = reel_project_new ();
  g_autoptr(ReelProject) target = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelClipboardShots) pasted = NULL;
  g_autoptr(GError) error = NULL;

  /* Two seconds stay two seconds in a 25 fps project. */
  reel_project_set_frame_rate (source, REEL_FRAME_RATE_INIT (24, 1));
  reel_project_set_frame_rate (target, REEL_FRAME_RATE_INIT (25, 1));
  reel_shot_set_duration (shot, 48);
  reel_scene_append_shot (scene, shot);
  reel_project_append_scene (source, scene);
  g_ptr_array_add (shots, shot);

  bytes = reel_clipboard_serialize_shots (source, shots);
  pasted = reel_clipboard_deserialize_shots (bytes, target, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reel_shot_get_duration (g_ptr_array_index (pasted->shots, 0)), ==, 50);
}

static void
assert_refused (const char *text,
                GQuark      domain,
                int         code)
{
  g_autoptr(ReelProject) target = reel_project_new ();
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(ReelClipboardShots) pasted = NULL;
  g_autoptr(GError) error = NULL;

  pasted = reel_clipboard_deserialize_shots (bytes, target, &error);
  g_assert_null (pasted);
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpuint (reel_project_get_n_scenes (target), ==, 0);
}

/* A moving camera comes back whole, and a shot without one stays without. */
static void
test_camera (void)
{
  ReelCameraPose pose = { .x = 3.25, .z = -7.5, .height = 1.2, .pan = 37.5, .tilt = -4.25,
                          .roll = 1.5, .lens_mm = 50 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  g_autoptr(ReelProject) source = reel_project_new ();
  g_autoptr(ReelProject) target = reel_project_new ();
  g_autoptr(ReelShot) with = reel_shot_new ();
  g_autoptr(ReelShot) without = reel_shot_new ();
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelClipboardShots) pasted = NULL;
  g_autoptr(GError) error = NULL;
  const ReelShotCamera *got;

  camera->moves = TRUE;
  camera->end.x = -1.75;
  camera->end.pan = 12.5;
  camera->easing = REEL_CAMERA_EASING_EASE_IN_OUT;
  reel_shot_camera_set_subject (camera, "MAYA");
  reel_shot_set_camera (with, camera);
  g_ptr_array_add (shots, with);
  g_ptr_array_add (shots, without);

  bytes = reel_clipboard_serialize_shots (source, shots);
  pasted = reel_clipboard_deserialize_shots (bytes, target, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pasted->shots->len, ==, 2);

  got = reel_shot_get_camera (g_ptr_array_index (pasted->shots, 0));
  g_assert_nonnull (got);
  g_assert_true (reel_shot_camera_equal (got, camera));
  g_assert_true (got->moves);
  g_assert_cmpfloat (got->end.x, ==, -1.75);
  g_assert_cmpint (got->easing, ==, REEL_CAMERA_EASING_EASE_IN_OUT);
  g_assert_cmpstr (got->subject, ==, "MAYA");
  g_assert_null (reel_shot_get_camera (g_ptr_array_index (pasted->shots, 1)));

  /* Every camera of the demo's harbour. */
  {
    g_autoptr(ReelProject) demo = reel_demo_project_new ();
    g_autoptr(GPtrArray) demo_shots = all_shots (demo);
    g_autoptr(GBytes) demo_bytes = reel_clipboard_serialize_shots (demo, demo_shots);
    g_autoptr(ReelClipboardShots) demo_pasted = NULL;

    demo_pasted = reel_clipboard_deserialize_shots (demo_bytes, target, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < demo_shots->len; i++)
      {
        ReelShot *original = g_ptr_array_index (demo_shots, i);

        g_assert_nonnull (reel_shot_get_camera (original));
        g_assert_true (reel_shot_camera_equal (
          reel_shot_get_camera (g_ptr_array_index (demo_pasted->shots, i)),
          reel_shot_get_camera (original)));
      }
  }
}

static void
test_refused (void)
{
  g_autoptr(ReelProject) source = reel_test_project_random (reel_test_seed (7), 1, 1, 3);
  g_autoptr(GPtrArray) shots = all_shots (source);
  g_autoptr(GBytes) good = reel_clipboard_serialize_shots (source, shots);
  g_autofree char *text = g_strndup (g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  g_autofree char *truncated = g_strndup (text, strlen (text) / 2);
  g_autoptr(GString) tampered = g_string_new (text);
  char *hash;

  assert_refused ("", G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_refused ("\xff\xfe garbage", G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_refused ("[1, 2, 3]", G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_refused ("{\"format\": \"something-else\", \"version\": 1, \"shots\": []}",
                  G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_refused ("{\"format\": \"storyreel-shots\", \"version\": 99, \"shots\": []}",
                  G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  assert_refused ("{\"format\": \"storyreel-shots\", \"version\": 1, \"shots\": [42]}",
                  G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_refused ("{\"format\": \"storyreel-shots\", \"version\": 1, "
                  "\"shots\": [{\"lens-mm\": \"wide\"}]}",
                  G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  /* Points that are not a whole number of points. */
  assert_refused ("{\"format\": \"storyreel-shots\", \"version\": 1, \"shots\": [{\"sketch\": "
                  "[{\"name\": \"sketch\", \"strokes\": [{\"tool\": \"pen\", \"width\": 0.01, "
                  "\"color\": [0, 0, 0, 1], \"points\": \"AAAA\"}]}]}]}",
                  G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  /* A camera the model cannot use: a lens of zero, a tilt past straight up, a pose
   * with a field missing. */
  assert_refused ("{\"format\": \"storyreel-shots\", \"version\": 1, \"shots\": [{\"camera\": "
                  "{\"start\": {\"x\": 0, \"z\": 0, \"height\": 1.6, \"pan\": 0, \"tilt\": 0, "
                  "\"roll\": 0, \"lens-mm\": 0}}}]}",
                  G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_refused ("{\"format\": \"storyreel-shots\", \"version\": 1, \"shots\": [{\"camera\": "
                  "{\"start\": {\"x\": 0, \"z\": 0, \"height\": 1.6, \"pan\": 0, \"tilt\": 500, "
                  "\"roll\": 0, \"lens-mm\": 35}}}]}",
                  G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_refused ("{\"format\": \"storyreel-shots\", \"version\": 1, \"shots\": [{\"camera\": "
                  "{\"start\": {\"x\": 0, \"z\": 0, \"pan\": 0, \"tilt\": 0, "
                  "\"roll\": 0, \"lens-mm\": 35}}}]}",
                  G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_refused (truncated, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  /* An image whose bytes do not match the hash the shots use. */
  hash = strstr (tampered->str, "\"assets\"");
  g_assert_nonnull (hash);
  hash = strstr (hash, "\"hash\"");
  g_assert_nonnull (hash);
  hash = strchr (hash + strlen ("\"hash\""), '"') + 1;
  *hash = *hash == '0' ? '1' : '0';
  assert_refused (tampered->str, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clipboard/round-trip", test_round_trip);
  g_test_add_func ("/clipboard/frame-rate", test_frame_rate);
  g_test_add_func ("/clipboard/camera", test_camera);
  g_test_add_func ("/clipboard/refused", test_refused);

  return g_test_run ();
}
