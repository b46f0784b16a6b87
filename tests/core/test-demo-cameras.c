/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include "core/reel-greybox-render.h"
#include "core/reel-optics.h"
#include "core/reel-set-mesh.h"
#include "storage/reel-demo.h"

/* The demo's eight cameras on its harbour: each gray-box view shows the place, not a
 * frame of sky, and each framed character stands in the frame of the shot that names
 * them (1F, over Maya's shoulder, used to look up past Tom into the sky). */

#define WIDTH 320
#define HEIGHT 180

static void
test_demo_cameras (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  ReelScene *scene = reel_project_get_scene (project, 0);
  const ReelSet *set = reel_scene_get_set (scene);
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, TRUE);
  double sensor = reel_optics_sensor_lookup_or_default (reel_project_get_sensor (project))->width_mm;
  guint n_cameras = 0;

  for (guint s = 0; s < reel_scene_get_n_shots (scene); s++)
    {
      ReelShot *shot = reel_scene_get_shot (scene, s);
      const ReelShotCamera *camera = reel_shot_get_camera (shot);
      ReelGreyboxOptions options = { "dawn", sensor, 0 };
      ReelGreyboxImage *image;
      guint sky = 0;

      g_assert_nonnull (camera);
      n_cameras++;
      image = reel_greybox_render (mesh, &camera->start, WIDTH, HEIGHT, &options);
      for (gsize i = 0; i < (gsize) WIDTH * HEIGHT; i++)
        sky += image->objects[i] == 0;
      g_test_message ("%s: %.0f %% sky", reel_shot_get_number (shot), 100.0 * sky / (WIDTH * HEIGHT));
      g_assert_cmpfloat ((double) sky / (WIDTH * HEIGHT), <, 0.7);

      /* 1D is Maya's point of view: it frames no one. */
      if (camera->subject != NULL && *camera->subject != '\0')
        {
          const ReelSetMark *mark = reel_set_find_mark (set, camera->subject);
          graphene_point3d_t eyes;
          double x, y, depth;

          g_assert_nonnull (mark);
          graphene_point3d_init (&eyes, mark->x, mark->eye_height, mark->z);

          g_assert_true (reel_camera_pose_project (&camera->start, sensor, WIDTH,
                                                   WIDTH / reel_project_get_aspect_ratio (project),
                                                   &eyes, &x, &y, &depth));
          g_test_message ("%s: %s's eyes at %.0f, %.0f", reel_shot_get_number (shot),
                          camera->subject, x, y);
          g_assert_cmpfloat (depth, >, 0);
          g_assert_cmpfloat (x, >=, 0);
          g_assert_cmpfloat (x, <=, WIDTH);
          g_assert_cmpfloat (y, >=, 0);
          g_assert_cmpfloat (y, <=, WIDTH / reel_project_get_aspect_ratio (project));
        }
      reel_greybox_image_free (image);
    }
  g_assert_cmpuint (n_cameras, ==, 8);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/cameras-see-the-harbour", test_demo_cameras);

  return g_test_run ();
}
