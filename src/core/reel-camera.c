/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-camera"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-camera.h"

static const ReelVocabEntry sizes[] = {
  { "ews", N_("Extreme Wide Shot"), N_("EWS"), "extreme wide shot" },
  { "vws", N_("Very Wide Shot"), N_("VWS"), "very wide shot" },
  { "ws", N_("Wide Shot"), N_("WS"), "wide shot" },
  { "fs", N_("Full Shot"), N_("FS"), "full shot, framed head to toe" },
  { "mws", N_("Medium Wide Shot"), N_("MWS"), "medium wide shot, framed from the knees up" },
  { "cowboy", N_("Cowboy Shot"), N_("Cowboy"), "cowboy shot, framed from mid-thigh up" },
  { "ms", N_("Medium Shot"), N_("MS"), "medium shot, framed from the waist up" },
  { "mcs", N_("Medium Close Shot"), N_("MCS"), "medium close shot, framed from the chest up" },
  { "mcu", N_("Medium Close-Up"), N_("MCU"), "medium close-up, framed from the shoulders up" },
  { "cu", N_("Close-Up"), N_("CU"), "close-up of the face" },
  { "bcu", N_("Big Close-Up"), N_("BCU"), "big close-up, the face filling the frame" },
  { "ecu", N_("Extreme Close-Up"), N_("ECU"), "extreme close-up of a detail" },
  { "insert", N_("Insert"), N_("Insert"), "insert shot of an object" },
};

static const ReelVocabEntry framings[] = {
  { "single", N_("Single"), N_("1S"), "single shot of one person" },
  { "two_shot", N_("Two-Shot"), N_("2S"), "two-shot of two people" },
  { "three_shot", N_("Three-Shot"), N_("3S"), "three-shot of three people" },
  { "ots", N_("Over the Shoulder"), N_("OTS"), "over-the-shoulder shot" },
  { "pov", N_("Point of View"), N_("POV"), "point-of-view shot" },
  { "establishing", N_("Establishing"), N_("EST"), "establishing shot of the location" },
  { "master", N_("Master"), N_("Master"), "master shot covering the whole action" },
};

typedef struct
{
  double tilt;
  double roll;
  double height;
} AnglePose;

/* Same order as angles[]. Tilt presets as previs tools use them. */
static const AnglePose angle_poses[] = {
  { 0, 0, 1.6 },     /* eye_level */
  { 0, 0, 1.45 },    /* shoulder */
  { 0, 0, 1.0 },     /* hip */
  { 0, 0, 0.5 },     /* knee */
  { 0, 0, 0.1 },     /* ground */
  { -15, 0, 2.6 },   /* high */
  { 30, 0, 0.9 },    /* low */
  { -30, 0, 6.0 },   /* birds_eye */
  { 45, 0, 0.15 },   /* worms_eye */
  { 0, 15, -1 },     /* dutch */
  { -20, 0, 40.0 },  /* aerial */
};

static const ReelVocabEntry angles[] = {
  { "eye_level", N_("Eye Level"), N_("Eye"), "eye-level camera angle" },
  { "shoulder", N_("Shoulder Level"), N_("Shoulder"), "shoulder-level camera angle" },
  { "hip", N_("Hip Level"), N_("Hip"), "hip-level camera angle" },
  { "knee", N_("Knee Level"), N_("Knee"), "knee-level camera angle" },
  { "ground", N_("Ground Level"), N_("Ground"), "ground-level camera angle" },
  { "high", N_("High Angle"), N_("High"), "high-angle shot looking down" },
  { "low", N_("Low Angle"), N_("Low"), "low-angle shot looking up" },
  { "birds_eye", N_("Bird’s Eye"), N_("Overhead"), "bird's-eye view from overhead" },
  { "worms_eye", N_("Worm’s Eye"), N_("Worm"), "worm's-eye view from the ground looking up" },
  { "dutch", N_("Dutch Angle"), N_("Dutch"), "dutch angle, the camera tilted sideways" },
  { "aerial", N_("Aerial"), N_("Aerial"), "aerial shot from high above" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (angles) == G_N_ELEMENTS (angle_poses));

static const ReelVocabEntry movements[] = {
  { "static", N_("Static"), N_("Static"), "static camera on a tripod" },
  { "pan", N_("Pan"), N_("Pan"), "panning shot" },
  { "tilt", N_("Tilt"), N_("Tilt"), "tilting shot" },
  { "pedestal", N_("Pedestal"), N_("Ped"), "pedestal move, the camera rising vertically" },
  { "dolly_in", N_("Dolly In"), N_("Dolly In"), "dolly in towards the subject" },
  { "dolly_out", N_("Dolly Out"), N_("Dolly Out"), "dolly out away from the subject" },
  { "truck", N_("Truck"), N_("Truck"), "trucking shot moving sideways" },
  { "arc", N_("Arc"), N_("Arc"), "arc shot circling the subject" },
  { "crane", N_("Crane / Boom"), N_("Crane"), "crane shot" },
  { "jib", N_("Jib"), N_("Jib"), "jib shot" },
  { "steadicam", N_("Steadicam"), N_("Steadicam"), "smooth steadicam shot" },
  { "gimbal", N_("Gimbal"), N_("Gimbal"), "smooth gimbal shot" },
  { "handheld", N_("Handheld"), N_("Handheld"), "handheld camera" },
  { "zoom", N_("Zoom"), N_("Zoom"), "zoom shot" },
  { "rack_focus", N_("Rack Focus"), N_("Rack"), "rack focus shot" },
  { "dolly_zoom", N_("Dolly Zoom"), N_("Dolly Zoom"), "dolly zoom, vertigo effect" },
  { "whip_pan", N_("Whip Pan"), N_("Whip"), "whip pan with motion blur" },
  { "drone", N_("Drone"), N_("Drone"), "drone shot" },
};

/* Same order as ReelIntExt. */
static const ReelVocabEntry int_exts[] = {
  { "none", N_("None"), N_("None"), "" },
  { "int", N_("Interior"), N_("INT."), "interior" },
  { "ext", N_("Exterior"), N_("EXT."), "exterior" },
  { "int_ext", N_("Interior/Exterior"), N_("INT./EXT."), "interior and exterior" },
  { "est", N_("Establishing"), N_("EST."), "establishing exterior" },
};

static const ReelVocabEntry statuses[] = {
  { "todo", N_("To Do"), N_("To Do"), "to do" },
  { "in_progress", N_("In Progress"), N_("In Progress"), "in progress" },
  { "review", N_("In Review"), N_("Review"), "in review" },
  { "approved", N_("Approved"), N_("Approved"), "approved" },
  { "omitted", N_("Omitted"), N_("Omitted"), "omitted" },
};

static const char * const int_ext_prefixes[] = { "", "INT.", "EXT.", "INT./EXT.", "EST." };

static const double prime_lenses[] = { 22, 35, 50, 85, 120 };

const ReelVocabEntry *
reel_camera_get_vocabulary (ReelVocabulary  kind,
                            guint          *n_entries)
{
  const ReelVocabEntry *table = NULL;
  guint n = 0;

  switch (kind)
    {
    case REEL_VOCAB_SIZE:
      table = sizes, n = G_N_ELEMENTS (sizes);
      break;
    case REEL_VOCAB_FRAMING:
      table = framings, n = G_N_ELEMENTS (framings);
      break;
    case REEL_VOCAB_ANGLE:
      table = angles, n = G_N_ELEMENTS (angles);
      break;
    case REEL_VOCAB_MOVEMENT:
      table = movements, n = G_N_ELEMENTS (movements);
      break;
    case REEL_VOCAB_INT_EXT:
      table = int_exts, n = G_N_ELEMENTS (int_exts);
      break;
    case REEL_VOCAB_STATUS:
      table = statuses, n = G_N_ELEMENTS (statuses);
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (n_entries != NULL)
    *n_entries = n;

  return table;
}

const ReelVocabEntry *
reel_camera_get_sizes (guint *n_entries)
{
  return reel_camera_get_vocabulary (REEL_VOCAB_SIZE, n_entries);
}

const ReelVocabEntry *
reel_camera_get_framings (guint *n_entries)
{
  return reel_camera_get_vocabulary (REEL_VOCAB_FRAMING, n_entries);
}

const ReelVocabEntry *
reel_camera_get_angles (guint *n_entries)
{
  return reel_camera_get_vocabulary (REEL_VOCAB_ANGLE, n_entries);
}

const ReelVocabEntry *
reel_camera_get_movements (guint *n_entries)
{
  return reel_camera_get_vocabulary (REEL_VOCAB_MOVEMENT, n_entries);
}

const ReelVocabEntry *
reel_camera_get_statuses (guint *n_entries)
{
  return reel_camera_get_vocabulary (REEL_VOCAB_STATUS, n_entries);
}

int
reel_camera_get_index (ReelVocabulary  kind,
                       const char     *id)
{
  const ReelVocabEntry *table;
  guint n = 0;

  if (id == NULL)
    return -1;

  table = reel_camera_get_vocabulary (kind, &n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (table[i].id, id))
      return (int) i;

  return -1;
}

const ReelVocabEntry *
reel_camera_lookup (ReelVocabulary  kind,
                    const char     *id)
{
  int index = reel_camera_get_index (kind, id);

  if (index < 0)
    return NULL;

  return &reel_camera_get_vocabulary (kind, NULL)[index];
}

const char *
reel_camera_get_label (ReelVocabulary  kind,
                       const char     *id)
{
  const ReelVocabEntry *entry;

  if (id == NULL)
    return "";

  entry = reel_camera_lookup (kind, id);
  return entry != NULL ? _(entry->label) : id;
}

const char *
reel_camera_get_short_label (ReelVocabulary  kind,
                             const char     *id)
{
  const ReelVocabEntry *entry;

  if (id == NULL)
    return "";

  entry = reel_camera_lookup (kind, id);
  return entry != NULL ? _(entry->short_label) : id;
}

const char *
reel_camera_get_phrase (ReelVocabulary  kind,
                        const char     *id)
{
  const ReelVocabEntry *entry = reel_camera_lookup (kind, id);

  return entry != NULL ? entry->phrase : NULL;
}

double
reel_camera_angle_get_tilt (const char *angle_id)
{
  int index = reel_camera_get_index (REEL_VOCAB_ANGLE, angle_id);

  return index < 0 ? 0.0 : angle_poses[index].tilt;
}

double
reel_camera_angle_get_roll (const char *angle_id)
{
  int index = reel_camera_get_index (REEL_VOCAB_ANGLE, angle_id);

  return index < 0 ? 0.0 : angle_poses[index].roll;
}

double
reel_camera_angle_get_height (const char *angle_id)
{
  int index = reel_camera_get_index (REEL_VOCAB_ANGLE, angle_id);

  return index < 0 ? -1.0 : angle_poses[index].height;
}

const double *
reel_camera_get_prime_lenses (guint *n_lenses)
{
  if (n_lenses != NULL)
    *n_lenses = G_N_ELEMENTS (prime_lenses);

  return prime_lenses;
}

GType
reel_int_ext_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { REEL_INT_EXT_NONE, "REEL_INT_EXT_NONE", "none" },
        { REEL_INT_EXT_INT, "REEL_INT_EXT_INT", "int" },
        { REEL_INT_EXT_EXT, "REEL_INT_EXT_EXT", "ext" },
        { REEL_INT_EXT_INT_EXT, "REEL_INT_EXT_INT_EXT", "int-ext" },
        { REEL_INT_EXT_EST, "REEL_INT_EXT_EST", "est" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("ReelIntExt"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

static gboolean
int_ext_is_valid (ReelIntExt value)
{
  return value >= REEL_INT_EXT_NONE && value <= REEL_INT_EXT_EST;
}

const char *
reel_int_ext_to_id (ReelIntExt value)
{
  if (!int_ext_is_valid (value))
    value = REEL_INT_EXT_NONE;

  return int_exts[value].id;
}

ReelIntExt
reel_int_ext_from_id (const char *id)
{
  int index = reel_camera_get_index (REEL_VOCAB_INT_EXT, id);

  return index < 0 ? REEL_INT_EXT_NONE : (ReelIntExt) index;
}

const char *
reel_int_ext_get_prefix (ReelIntExt value)
{
  if (!int_ext_is_valid (value))
    value = REEL_INT_EXT_NONE;

  return int_ext_prefixes[value];
}

const char *
reel_int_ext_get_label (ReelIntExt value)
{
  if (!int_ext_is_valid (value))
    value = REEL_INT_EXT_NONE;

  return _(int_exts[value].label);
}
