/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench"

#include "config.h"

#include <stdio.h>

#include "ai/reel-greybox.h"
#include "core/reel-set-edit.h"
#include "storage/reel-demo.h"

/* How often variants of one gray-box request come out the same picture: the provider asks
 * for consecutive seeds, each seed turns the sun by 30°, and a request for four variants
 * gets four pictures only if four consecutive suns light what the camera sees
 * differently. Counted over the demo's eight cameras and a grid of shots of generic sets
 * (inside and out, every time of day, tilts from bird's eye to looking up, three lenses),
 * for every starting seed. */

#define N_SUNS 12
#define COUNT 4

static guint n_requests, n_batches, n_batches_with_repeat, n_equal_neighbours;
static guint n_rescued, n_few_suns, n_demo_batches_with_repeat;
static gboolean measuring_demo;

static void
measure (ReelGenerationRequest *request)
{
  GBytes *pngs[N_SUNS];

  guint n_distinct = 0;

  for (guint s = 0; s < N_SUNS; s++)
    {
      gboolean seen = FALSE;

      pngs[s] = reel_greybox_render_png (request, s);
      for (guint t = 0; t < s && !seen; t++)
        seen = g_bytes_equal (pngs[s], pngs[t]);
      if (!seen)
        n_distinct++;
    }
  /* Fewer different suns than variants: no retry can make them all differ. */
  if (n_distinct < COUNT)
    n_few_suns++;

  for (guint s = 0; s < N_SUNS; s++)
    {
      gboolean repeat = FALSE;

      if (g_bytes_equal (pngs[s], pngs[(s + 1) % N_SUNS]))
        n_equal_neighbours++;
      for (guint i = 0; i < COUNT && !repeat; i++)
        for (guint j = 0; j < i && !repeat; j++)
          repeat = g_bytes_equal (pngs[(s + i) % N_SUNS], pngs[(s + j) % N_SUNS]);
      n_batches++;
      if (repeat)
        {
          n_batches_with_repeat++;
          /* The retry finds other suns that differ: it changes what the user gets. */
          if (n_distinct >= COUNT)
            n_rescued++;
          if (measuring_demo)
            n_demo_batches_with_repeat++;
        }
    }

  for (guint s = 0; s < N_SUNS; s++)
    g_bytes_unref (pngs[s]);
  n_requests++;
}

static ReelGenerationRequest *
base_request (void)
{
  ReelGenerationRequest *request = reel_generation_request_new ();

  request->width = 320;
  request->height = 180;
  request->aspect_ratio = 16.0 / 9.0;
  request->sensor_width_mm = 24.89;
  request->camera_height_m = 1.6;
  request->lens_mm = 35;
  return request;
}

int
main (int   argc,
      char *argv[])
{
  static const char * const times[] = { "DAWN", "DAY", "DUSK", "NIGHT" };
  static const char * const locations[] = { "HARBOUR", "KITCHEN", "MAIN STREET" };
  static const double tilts[] = { -89, -45, -10, 0, 20, 60 };
  static const double lenses[] = { 18, 35, 85 };
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelScene *harbour = reel_project_get_scene (demo, 0);

  /* The demo's cameras in the harbour's set. */
  measuring_demo = TRUE;
  for (guint i = 0; i < reel_scene_get_n_shots (harbour); i++)
    {
      ReelShot *shot = reel_scene_get_shot (harbour, i);
      g_autoptr(ReelGenerationRequest) request = base_request ();

      if (reel_shot_get_camera (shot) == NULL)
        continue;
      request->int_ext = reel_scene_get_int_ext (harbour);
      request->time_of_day = g_strdup (reel_scene_get_time_of_day (harbour));
      request->location = g_strdup (reel_scene_get_location (harbour));
      request->set = reel_set_copy (reel_scene_get_set (harbour));
      request->camera = reel_shot_camera_copy (reel_shot_get_camera (shot));
      measure (request);
    }

  measuring_demo = FALSE;

  /* Scenes without a set: the generic place, from the front of its floor. */
  for (guint e = 0; e < 2; e++)
    for (guint t = 0; t < G_N_ELEMENTS (times); t++)
      for (guint l = 0; l < G_N_ELEMENTS (locations); l++)
        for (guint a = 0; a < G_N_ELEMENTS (tilts); a++)
          for (guint f = 0; f < G_N_ELEMENTS (lenses); f++)
            {
              g_autoptr(ReelGenerationRequest) request = base_request ();

              request->int_ext = e == 0 ? REEL_INT_EXT_INT : REEL_INT_EXT_EXT;
              request->time_of_day = g_strdup (times[t]);
              request->location = g_strdup (locations[l]);
              request->tilt_deg = tilts[a];
              request->lens_mm = lenses[f];
              measure (request);
            }

  printf ("requests=%u\n", n_requests);
  printf ("batches_of_%u_consecutive_seeds=%u\n", COUNT, n_batches);
  printf ("batches_with_a_repeated_picture=%u\n", n_batches_with_repeat);
  printf ("equal_neighbouring_suns=%u\n", n_equal_neighbours);
  printf ("demo_camera_batches_with_a_repeated_picture=%u\n", n_demo_batches_with_repeat);
  printf ("batches_the_retry_makes_all_different=%u\n", n_rescued);
  printf ("requests_with_fewer_than_%u_different_suns=%u\n", COUNT, n_few_suns);
  printf ("retry_rate=%.4f\n", (double) n_batches_with_repeat / MAX (n_batches, 1));
  return 0;
}
