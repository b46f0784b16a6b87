/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-prompt"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "core/reel-camera.h"
#include "core/reel-optics.h"
#include "core/reel-panel.h"
#include "core/reel-set-edit.h"
#include "reel-prompt.h"

/* Prompts are English whatever the interface language: image models follow English
 * best, and the prompt is shown to the user, who may edit it before sending. */

#define BACKGROUND_PLATE "empty background plate, no people"
#define NEGATIVE_PROMPT "people, person, figures, characters, crowd, text, caption, " \
                        "watermark, logo, signature, blurry, deformed"

static const ReelAngleVariant angle_variants[] = {
  { "low", N_("Low Angle"), "a low angle, the camera near the ground looking up" },
  { "high", N_("High Angle"), "a high angle, the camera above looking down" },
  { "birds_eye", N_("Bird’s Eye"), "directly overhead, a bird's-eye view looking straight down" },
  { "worms_eye", N_("Worm’s Eye"), "a worm's-eye view from the ground looking steeply up" },
  { "dutch", N_("Dutch Angle"), "a dutch angle, the camera rolled sideways" },
  { "ots", N_("Over the Shoulder"), "over the shoulder of someone in the foreground, "
                                    "whose shoulder stays out of focus at the frame edge" },
  { "reverse", N_("Reverse Angle"), "the reverse angle, looking back the opposite way "
                                    "across the same set" },
  { "wider", N_("Wider"), "further back with a wider lens, showing more of the set" },
  { "tighter", N_("Tighter"), "closer in with a longer lens, showing less of the set" },
};

const ReelAngleVariant *
reel_prompt_get_angle_variants (guint *n_variants)
{
  if (n_variants != NULL)
    *n_variants = G_N_ELEMENTS (angle_variants);
  return angle_variants;
}

const ReelAngleVariant *
reel_prompt_lookup_angle_variant (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (angle_variants); i++)
    if (g_str_equal (angle_variants[i].id, id))
      return &angle_variants[i];
  return NULL;
}

const char *
reel_prompt_normalize_time_of_day (const char *time_of_day)
{
  static const struct { const char *word; const char *normal; } words[] = {
    { "DAWN", "dawn" }, { "SUNRISE", "dawn" }, { "DAYBREAK", "dawn" },
    { "FIRST LIGHT", "dawn" }, { "MORNING", "day" }, { "DAY", "day" }, { "NOON", "day" },
    { "AFTERNOON", "day" }, { "DUSK", "dusk" }, { "SUNSET", "dusk" }, { "EVENING", "dusk" },
    { "TWILIGHT", "dusk" }, { "MAGIC HOUR", "dusk" }, { "GOLDEN HOUR", "dusk" },
    { "NIGHT", "night" }, { "MIDNIGHT", "night" },
  };
  g_autofree char *upper = NULL;

  if (time_of_day == NULL || time_of_day[0] == '\0')
    return NULL;

  upper = g_ascii_strup (time_of_day, -1);
  /* "LATE NIGHT" is night, "EARLY MORNING" is day: the first word found wins in this
   * order, so NIGHT beats DAY in "DAY FOR NIGHT". */
  if (strstr (upper, "NIGHT") != NULL)
    return "night";
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (upper, words[i].word) != NULL)
      return words[i].normal;
  return NULL;
}

static const char *
time_of_day_phrase (const char *normal)
{
  if (g_strcmp0 (normal, "dawn") == 0)
    return "at dawn, low warm light and a pale sky";
  if (g_strcmp0 (normal, "day") == 0)
    return "in daylight";
  if (g_strcmp0 (normal, "dusk") == 0)
    return "at dusk, long shadows and an orange sky";
  if (g_strcmp0 (normal, "night") == 0)
    return "at night, dark with practical lights";
  return NULL;
}

char *
reel_prompt_build_camera_phrase (ReelProject *project,
                                 ReelShot    *shot)
{
  GString *phrase = g_string_new (NULL);
  const char *size = reel_camera_get_phrase (REEL_VOCAB_SIZE, reel_shot_get_size (shot));
  const char *angle = reel_camera_get_phrase (REEL_VOCAB_ANGLE, reel_shot_get_angle (shot));
  const char *framing = reel_camera_get_phrase (REEL_VOCAB_FRAMING,
                                                reel_shot_get_framing (shot));
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (size != NULL)
    g_string_append (phrase, size);
  /* Framings about people ("single shot of one person") contradict an empty plate; only
   * the ones about the set are kept. */
  if (framing != NULL && (g_strcmp0 (reel_shot_get_framing (shot), "establishing") == 0
                          || g_strcmp0 (reel_shot_get_framing (shot), "pov") == 0
                          || g_strcmp0 (reel_shot_get_framing (shot), "ots") == 0))
    g_string_append_printf (phrase, "%s%s", phrase->len > 0 ? ", " : "", framing);
  if (angle != NULL)
    g_string_append_printf (phrase, "%s%s", phrase->len > 0 ? ", " : "", angle);

  g_ascii_formatd (number, sizeof number, "%.0f", reel_shot_get_lens_mm (shot));
  g_string_append_printf (phrase, "%s%s mm lens", phrase->len > 0 ? ", " : "", number);
  if (project != NULL)
    {
      const ReelSensor *sensor =
        reel_optics_sensor_lookup_or_default (reel_project_get_sensor (project));
      char fov[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (fov, sizeof fov, "%.0f",
                       reel_optics_horizontal_fov (sensor->width_mm,
                                                   reel_shot_get_lens_mm (shot)));
      g_string_append_printf (phrase, " (%s° horizontal field of view)", fov);
    }
  g_ascii_formatd (number, sizeof number, "%.1f", reel_shot_get_camera_height_m (shot));
  g_string_append_printf (phrase, ", camera %s m above the ground", number);

  return g_string_free (phrase, FALSE);
}

static void
append_sentence (GString    *prompt,
                 const char *sentence)
{
  g_autofree char *trimmed = NULL;
  gsize length;

  if (sentence == NULL)
    return;

  trimmed = g_strstrip (g_strdup (sentence));
  length = strlen (trimmed);
  if (length == 0)
    return;

  if (prompt->len > 0)
    g_string_append_c (prompt, ' ');
  /* Sentences start with a capital, whatever the phrase table says. */
  trimmed[0] = g_ascii_toupper (trimmed[0]);
  g_string_append (prompt, trimmed);
  if (trimmed[length - 1] != '.' && trimmed[length - 1] != '!' && trimmed[length - 1] != '?')
    g_string_append_c (prompt, '.');
}

static char *
scene_sentence (ReelScene *scene)
{
  GString *sentence;
  const char *location;
  const char *time_phrase;

  if (scene == NULL)
    return NULL;

  sentence = g_string_new (NULL);
  location = reel_scene_get_location (scene);
  switch (reel_scene_get_int_ext (scene))
    {
    case REEL_INT_EXT_INT:
      g_string_append (sentence, "Interior");
      break;
    case REEL_INT_EXT_EXT:
    case REEL_INT_EXT_EST:
      g_string_append (sentence, "Exterior");
      break;
    case REEL_INT_EXT_INT_EXT:
      g_string_append (sentence, "Interior looking out to the exterior");
      break;
    case REEL_INT_EXT_NONE:
    default:
      g_string_append (sentence, "Location");
      break;
    }

  if (location != NULL && location[0] != '\0')
    {
      g_autofree char *lower = g_utf8_strdown (location, -1);

      g_string_append_printf (sentence, ": %s", lower);
    }

  time_phrase = time_of_day_phrase (
    reel_prompt_normalize_time_of_day (reel_scene_get_time_of_day (scene)));
  if (time_phrase != NULL)
    g_string_append_printf (sentence, ", %s", time_phrase);
  else if (reel_scene_get_time_of_day (scene)[0] != '\0')
    {
      g_autofree char *lower = g_utf8_strdown (reel_scene_get_time_of_day (scene), -1);

      g_string_append_printf (sentence, ", %s", lower);
    }

  return g_string_free (sentence, FALSE);
}

char *
reel_prompt_build (ReelProject        *project,
                   ReelShot           *shot,
                   ReelGenerationKind  kind,
                   const char         *angle_id)
{
  GString *prompt = g_string_new (NULL);
  const ReelAngleVariant *variant = reel_prompt_lookup_angle_variant (angle_id);
  g_autofree char *scene = NULL;
  g_autofree char *camera = NULL;
  g_autofree char *action = NULL;
  g_autoptr(ReelShot) target = NULL;

  g_return_val_if_fail (REEL_IS_SHOT (shot), NULL);

  if (kind == REEL_GENERATION_ANGLE && variant != NULL)
    {
      g_autofree char *seen = g_strdup_printf ("The same set as in the reference image, seen "
                                               "from %s. Keep its architecture, props, "
                                               "materials, light and colours", variant->phrase);
      append_sentence (prompt, seen);

      /* The camera phrase describes the new camera, not the old one. */
      target = reel_shot_copy (shot);
      reel_prompt_apply_angle_variant (target, angle_id);
    }
  else
    {
      target = g_object_ref (shot);
    }

  if (project != NULL)
    append_sentence (prompt, reel_project_get_look_phrase (project));

  scene = scene_sentence (reel_shot_get_scene (shot));
  append_sentence (prompt, scene);

  if (reel_shot_get_description (shot)[0] != '\0')
    {
      action = g_strdup_printf ("The set for this action: %s", reel_shot_get_description (shot));
      append_sentence (prompt, action);
    }

  camera = reel_prompt_build_camera_phrase (project, target);
  if (kind == REEL_GENERATION_VIDEO)
    {
      const char *movement = reel_camera_get_phrase (REEL_VOCAB_MOVEMENT,
                                                     reel_shot_get_movement (shot));
      g_autofree char *with_movement = g_strdup_printf ("%s, %s", camera,
                                                        movement != NULL ? movement
                                                                         : "static camera");
      append_sentence (prompt, with_movement);
      append_sentence (prompt, "Moving background clip, subtle natural motion, no people");
    }
  else
    {
      append_sentence (prompt, camera);
      append_sentence (prompt, BACKGROUND_PLATE);
    }

  return g_string_free (prompt, FALSE);
}

const char *
reel_prompt_get_negative (void)
{
  return NEGATIVE_PROMPT;
}

static void
step_size (ReelShot *shot,
           int       step)
{
  guint n_sizes = 0;
  const ReelVocabEntry *sizes = reel_camera_get_sizes (&n_sizes);
  int index = reel_camera_get_index (REEL_VOCAB_SIZE, reel_shot_get_size (shot));
  int last = -1;

  /* The sizes run from the widest to the tightest; "insert" is not on that scale. */
  for (guint i = 0; i < n_sizes; i++)
    if (!g_str_equal (sizes[i].id, "insert"))
      last = (int) i;

  if (index < 0 || index > last)
    index = reel_camera_get_index (REEL_VOCAB_SIZE, REEL_CAMERA_DEFAULT_SIZE);
  index = CLAMP (index + step, 0, last);
  reel_shot_set_size (shot, sizes[index].id);
}

static void
step_lens (ReelShot *shot,
           int       step)
{
  guint n_lenses = 0;
  const double *lenses = reel_camera_get_prime_lenses (&n_lenses);
  double lens = reel_shot_get_lens_mm (shot);
  guint nearest = 0;

  for (guint i = 1; i < n_lenses; i++)
    if (fabs (lenses[i] - lens) < fabs (lenses[nearest] - lens))
      nearest = i;

  reel_shot_set_lens_mm (shot, lenses[CLAMP ((int) nearest + step, 0, (int) n_lenses - 1)]);
}

static void
set_angle_preset (ReelShot   *shot,
                  const char *angle)
{
  double height = reel_camera_angle_get_height (angle);

  reel_shot_set_angle (shot, angle);
  if (height >= 0)
    reel_shot_set_camera_height_m (shot, height);
}

void
reel_prompt_apply_angle_variant (ReelShot   *shot,
                                 const char *angle_id)
{
  g_return_if_fail (REEL_IS_SHOT (shot));

  if (g_strcmp0 (angle_id, "low") == 0)
    set_angle_preset (shot, "low");
  else if (g_strcmp0 (angle_id, "high") == 0)
    set_angle_preset (shot, "high");
  else if (g_strcmp0 (angle_id, "birds_eye") == 0)
    set_angle_preset (shot, "birds_eye");
  else if (g_strcmp0 (angle_id, "worms_eye") == 0)
    set_angle_preset (shot, "worms_eye");
  else if (g_strcmp0 (angle_id, "dutch") == 0)
    set_angle_preset (shot, "dutch");
  else if (g_strcmp0 (angle_id, "ots") == 0)
    reel_shot_set_framing (shot, "ots");
  else if (g_strcmp0 (angle_id, "wider") == 0)
    {
      step_size (shot, -1);
      step_lens (shot, -1);
    }
  else if (g_strcmp0 (angle_id, "tighter") == 0)
    {
      step_size (shot, 1);
      step_lens (shot, 1);
    }
  /* "reverse" keeps the camera: it turns around, which the fields do not record. */
}

void
reel_prompt_pixel_size (double  aspect,
                        int     long_side,
                        int    *width,
                        int    *height)
{
  double w;
  double h;

  if (aspect <= 0)
    aspect = REEL_ASPECT_RATIO_DEFAULT;

  if (aspect >= 1.0)
    {
      w = long_side;
      h = long_side / aspect;
    }
  else
    {
      h = long_side;
      w = long_side * aspect;
    }

  /* Latent-space models work in blocks of 8 or 16 pixels. */
  *width = MAX (16, (int) (round (w / 16.0) * 16));
  *height = MAX (16, (int) (round (h / 16.0) * 16));
}

/**
 * reel_prompt_new_request:
 *
 * Returns: (transfer full): the request
 */
ReelGenerationRequest *
reel_prompt_new_request (ReelProject        *project,
                         ReelShot           *shot,
                         ReelGenerationKind  kind,
                         const char         *angle_id,
                         const char         *prompt,
                         guint               count)
{
  ReelGenerationRequest *request = reel_generation_request_new ();
  g_autoptr(ReelShot) camera = reel_shot_copy (shot);
  const ReelSensor *sensor;
  ReelScene *scene = reel_shot_get_scene (shot);
  const char *background;
  const char *look;

  g_return_val_if_fail (REEL_IS_PROJECT (project), request);
  g_return_val_if_fail (REEL_IS_SHOT (shot), request);

  request->kind = kind;
  request->angle_id = kind == REEL_GENERATION_ANGLE ? g_strdup (angle_id) : NULL;
  request->prompt = prompt != NULL ? g_strdup (prompt)
                                   : reel_prompt_build (project, shot, kind, angle_id);
  request->negative_prompt = g_strdup (NEGATIVE_PROMPT);
  request->aspect_ratio = reel_project_get_aspect_ratio (project);
  reel_prompt_pixel_size (request->aspect_ratio, 1344, &request->width, &request->height);
  request->count = MAX (count, 1);
  reel_generation_request_choose_seed (request);

  if (kind == REEL_GENERATION_ANGLE)
    reel_prompt_apply_angle_variant (camera, angle_id);
  request->tilt_deg = reel_camera_angle_get_tilt (reel_shot_get_angle (camera));
  request->roll_deg = reel_camera_angle_get_roll (reel_shot_get_angle (camera));
  request->camera_height_m = reel_shot_get_camera_height_m (camera);
  request->lens_mm = reel_shot_get_lens_mm (camera);
  sensor = reel_optics_sensor_lookup_or_default (reel_project_get_sensor (project));
  request->sensor_width_mm = sensor->width_mm;
  if (scene != NULL)
    {
      request->int_ext = reel_scene_get_int_ext (scene);
      request->time_of_day = g_strdup (reel_scene_get_time_of_day (scene));
      request->location = g_strdup (reel_scene_get_location (scene));
      if (reel_scene_get_set (scene) != NULL)
        request->set = reel_set_copy (reel_scene_get_set (scene));
    }
  if (reel_shot_get_camera (shot) != NULL)
    request->camera = reel_shot_camera_copy (reel_shot_get_camera (shot));
  else
    {
      request->int_ext = REEL_INT_EXT_EXT;
    }

  /* References: the panel when something is drawn on it, the current background (what
   * an angle must keep), the look image. */
  if (!reel_sketch_is_empty (reel_shot_get_sketch (shot)))
    {
      g_autoptr(GError) error = NULL;
      int height = reel_panel_height_for_width (request->aspect_ratio, 1024);
      /* The drawing alone: the current background is a reference of its own. */
      g_autoptr(GBytes) png = reel_panel_render_parts_png (NULL, reel_shot_get_sketch (shot),
                                                           1024, height, &error);

      if (png != NULL)
        request->sketch = reel_asset_new_from_bytes (png, &error);
      if (request->sketch == NULL)
        g_debug ("No sketch reference: %s", error != NULL ? error->message : "?");
    }

  background = reel_shot_get_background (shot);
  if (background != NULL && kind != REEL_GENERATION_BACKGROUND)
    {
      ReelAsset *asset = reel_project_lookup_asset (project, background);

      if (asset != NULL && !reel_asset_is_video (asset))
        request->background = g_object_ref (asset);
    }

  /* A clip ends where the next shot of the scene begins, when that one has a picture. */
  if (kind == REEL_GENERATION_VIDEO && scene != NULL)
    {
      guint position = 0;

      if (reel_scene_find_shot (scene, shot, &position)
          && position + 1 < reel_scene_get_n_shots (scene))
        {
          const char *next = reel_shot_get_background (reel_scene_get_shot (scene,
                                                                            position + 1));
          ReelAsset *asset = next != NULL ? reel_project_lookup_asset (project, next) : NULL;

          if (asset != NULL && !reel_asset_is_video (asset))
            request->last_frame = g_object_ref (asset);
        }
    }

  /* Hook for sets and cameras (issue 13): a camera angle, or a shot with no background yet
   * (one "New angle" made), is shown the scene's establishing background too, so that
   * every angle shows the same place. Not for that shot itself. */
  if (scene != NULL && kind != REEL_GENERATION_VIDEO
      && (kind == REEL_GENERATION_ANGLE || background == NULL))
    {
      const char *establishing = reel_scene_get_look_background (scene);
      ReelAsset *asset = establishing != NULL && g_strcmp0 (establishing, background) != 0
                           ? reel_project_lookup_asset (project, establishing) : NULL;

      if (asset != NULL && !reel_asset_is_video (asset))
        request->establishing = g_object_ref (asset);
    }

  look = reel_project_get_look_image (project);
  if (look != NULL)
    {
      ReelAsset *asset = reel_project_lookup_asset (project, look);

      if (asset != NULL && !reel_asset_is_video (asset))
        request->look = g_object_ref (asset);
    }

  return request;
}
