/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-set"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reel-core-error.h"
#include "reel-set.h"

G_DEFINE_BOXED_TYPE (ReelSet, reel_set, reel_set_copy, reel_set_free)

/* The stored form, version 1:
 *   (u  version
 *    s  template id
 *    b  exterior
 *    d  floor width, d floor depth
 *    a(dddddd a(udddd))   walls: ends, height, thickness, openings (kind, offset,
 *                         width, sill, height)
 *    a(ssddddddd)         props: kind, name, x, z, elevation, width, depth, height,
 *                         rotation
 *    a(sdddd)             marks: name, x, z, facing, eye height
 *    s s)                 line of action */
#define SET_VARIANT_VERSION 1
#define SET_VARIANT_TYPE REEL_SET_VARIANT_TYPE

/* Presets: parts in the unit footprint, see ReelSetPart. */

#define BOX(x0, y0, z0, x1, y1, z1, shade) { REEL_SET_SHAPE_BOX, x0, y0, z0, x1, y1, z1, shade }
#define CYL(x0, y0, z0, x1, y1, z1, shade) { REEL_SET_SHAPE_CYLINDER, x0, y0, z0, x1, y1, z1, shade }

static const ReelSetPart box_parts[] = { BOX (-0.5, 0, -0.5, 0.5, 1, 0.5, 0.7) };
static const ReelSetPart cylinder_parts[] = { CYL (-0.5, 0, -0.5, 0.5, 1, 0.5, 0.7) };
static const ReelSetPart table_parts[] = {
  BOX (-0.5, 0.93, -0.5, 0.5, 1, 0.5, 0.62),
  BOX (-0.47, 0, -0.44, -0.43, 0.93, -0.38, 0.45),
  BOX (0.43, 0, -0.44, 0.47, 0.93, -0.38, 0.45),
  BOX (-0.47, 0, 0.38, -0.43, 0.93, 0.44, 0.45),
  BOX (0.43, 0, 0.38, 0.47, 0.93, 0.44, 0.45),
};
static const ReelSetPart chair_parts[] = {
  BOX (-0.5, 0.5, -0.5, 0.5, 0.56, 0.5, 0.6),
  BOX (-0.5, 0.56, 0.4, 0.5, 1, 0.5, 0.6),
  BOX (-0.45, 0, -0.45, -0.35, 0.5, -0.35, 0.45),
  BOX (0.35, 0, -0.45, 0.45, 0.5, -0.35, 0.45),
  BOX (-0.45, 0, 0.35, -0.35, 0.5, 0.45, 0.45),
  BOX (0.35, 0, 0.35, 0.45, 0.5, 0.45, 0.45),
};
static const ReelSetPart sofa_parts[] = {
  BOX (-0.5, 0.1, -0.5, 0.5, 0.5, 0.3, 0.55),
  BOX (-0.5, 0.1, 0.3, 0.5, 1, 0.5, 0.55),
  BOX (-0.5, 0.1, -0.5, -0.42, 0.75, 0.3, 0.5),
  BOX (0.42, 0.1, -0.5, 0.5, 0.75, 0.3, 0.5),
  BOX (-0.48, 0, -0.48, 0.48, 0.1, 0.48, 0.3),
};
static const ReelSetPart bed_parts[] = {
  BOX (-0.5, 0.1, -0.5, 0.5, 0.55, 0.5, 0.8),
  BOX (-0.5, 0.1, 0.45, 0.5, 1, 0.5, 0.5),
  BOX (-0.48, 0, -0.48, 0.48, 0.1, 0.48, 0.3),
};
static const ReelSetPart car_parts[] = {
  BOX (-0.5, 0.22, -0.5, 0.5, 0.6, 0.5, 0.55),
  BOX (-0.45, 0.6, -0.22, 0.45, 1, 0.22, 0.4),
  BOX (-0.5, 0, -0.38, -0.42, 0.3, -0.22, 0.15),
  BOX (0.42, 0, -0.38, 0.5, 0.3, -0.22, 0.15),
  BOX (-0.5, 0, 0.22, -0.42, 0.3, 0.38, 0.15),
  BOX (0.42, 0, 0.22, 0.5, 0.3, 0.38, 0.15),
};
static const ReelSetPart door_parts[] = {
  BOX (-0.5, 0, -0.5, 0.5, 1, 0.5, 0.5),
  BOX (0.3, 0.45, -0.9, 0.38, 0.5, 0.9, 0.85),
};
static const ReelSetPart stairs_parts[] = {
  BOX (-0.5, 0, 0.333, 0.5, 0.1667, 0.5, 0.66),
  BOX (-0.5, 0, 0.1667, 0.5, 0.333, 0.333, 0.64),
  BOX (-0.5, 0, 0, 0.5, 0.5, 0.1667, 0.62),
  BOX (-0.5, 0, -0.1667, 0.5, 0.6667, 0, 0.6),
  BOX (-0.5, 0, -0.333, 0.5, 0.8333, -0.1667, 0.58),
  BOX (-0.5, 0, -0.5, 0.5, 1, -0.333, 0.56),
};
static const ReelSetPart tree_parts[] = {
  CYL (-0.06, 0, -0.06, 0.06, 0.45, 0.06, 0.35),
  CYL (-0.5, 0.35, -0.5, 0.5, 0.85, 0.5, 0.45),
  CYL (-0.32, 0.85, -0.32, 0.32, 1, 0.32, 0.5),
};
static const ReelSetPart lamp_post_parts[] = {
  CYL (-0.12, 0, -0.12, 0.12, 0.94, 0.12, 0.3),
  BOX (-0.5, 0.92, -0.5, 0.5, 1, 0.5, 0.9),
};
static const ReelSetPart boat_parts[] = {
  BOX (-0.5, 0, -0.4, 0.5, 0.45, 0.5, 0.75),
  BOX (-0.3, 0.1, -0.5, 0.3, 0.45, -0.4, 0.72),
  BOX (-0.35, 0.45, -0.05, 0.35, 0.8, 0.3, 0.6),
  CYL (-0.03, 0.45, -0.26, 0.03, 1, -0.24, 0.4),
};
static const ReelSetPart pier_parts[] = {
  BOX (-0.5, 0.85, -0.5, 0.5, 1, 0.5, 0.55),
  CYL (-0.5, 0, -0.5, -0.42, 0.85, -0.49, 0.3),
  CYL (0.42, 0, -0.5, 0.5, 0.85, -0.49, 0.3),
  CYL (-0.5, 0, -0.01, -0.42, 0.85, 0.0, 0.3),
  CYL (0.42, 0, -0.01, 0.5, 0.85, 0.0, 0.3),
  CYL (-0.5, 0, 0.49, -0.42, 0.85, 0.5, 0.3),
  CYL (0.42, 0, 0.49, 0.5, 0.85, 0.5, 0.3),
};
static const ReelSetPart water_parts[] = { BOX (-0.5, 0, -0.5, 0.5, 1, 0.5, 0.38) };
static const ReelSetPart building_parts[] = {
  BOX (-0.5, 0, -0.5, 0.5, 0.96, 0.5, 0.68),
  BOX (-0.52, 0.96, -0.52, 0.52, 1, 0.52, 0.5),
};
static const ReelSetPart bench_parts[] = {
  BOX (-0.5, 0.45, -0.5, 0.5, 0.52, 0.3, 0.6),
  BOX (-0.5, 0.55, 0.38, 0.5, 1, 0.5, 0.6),
  BOX (-0.45, 0, -0.4, -0.38, 0.45, 0.4, 0.35),
  BOX (0.38, 0, -0.4, 0.45, 0.45, 0.4, 0.35),
};
static const ReelSetPart bollard_parts[] = {
  CYL (-0.5, 0, -0.5, 0.5, 0.8, 0.5, 0.3),
  CYL (-0.7, 0.8, -0.7, 0.7, 1, 0.7, 0.3),
};

#define PRESET(id, label, w, d, h, parts) { id, label, w, d, h, parts, G_N_ELEMENTS (parts) }

static const ReelSetPreset presets[] = {
  PRESET ("box", N_("Box"), 1, 1, 1, box_parts),
  PRESET ("cylinder", N_("Cylinder"), 1, 1, 1, cylinder_parts),
  PRESET ("table", N_("Table"), 1.6, 0.9, 0.75, table_parts),
  PRESET ("chair", N_("Chair"), 0.45, 0.45, 0.9, chair_parts),
  PRESET ("sofa", N_("Sofa"), 2.0, 0.9, 0.85, sofa_parts),
  PRESET ("bed", N_("Bed"), 1.6, 2.1, 0.9, bed_parts),
  PRESET ("car", N_("Car"), 1.8, 4.5, 1.45, car_parts),
  PRESET ("door", N_("Door"), 0.9, 0.06, 2.1, door_parts),
  PRESET ("stairs", N_("Stairs"), 1.2, 3.0, 1.5, stairs_parts),
  PRESET ("tree", N_("Tree"), 3.5, 3.5, 7, tree_parts),
  PRESET ("lamp_post", N_("Lamp Post"), 0.5, 0.5, 4.5, lamp_post_parts),
  PRESET ("boat", N_("Boat"), 2.4, 7, 2.6, boat_parts),
  PRESET ("pier", N_("Pier"), 3, 24, 1.2, pier_parts),
  PRESET ("water", N_("Water"), 200, 200, 0.05, water_parts),
  PRESET ("building", N_("Building"), 10, 8, 9, building_parts),
  PRESET ("bench", N_("Bench"), 1.8, 0.6, 0.85, bench_parts),
  PRESET ("bollard", N_("Bollard"), 0.3, 0.3, 0.6, bollard_parts),
};

static const ReelSetTemplate templates[] = {
  { "stage", N_("Empty Stage") },
  { "room", N_("Room (Interior)") },
  { "street", N_("Street (Exterior)") },
  { "waterfront", N_("Waterfront (Exterior)") },
};

/* Helpers */

static void
clear_prop (gpointer data)
{
  ReelSetProp *prop = data;

  g_free (prop->name);
}

static void
clear_mark (gpointer data)
{
  ReelSetMark *mark = data;

  g_free (mark->name);
}

static void
clear_wall (gpointer data)
{
  ReelSetWall *wall = data;

  g_clear_pointer (&wall->openings, g_array_unref);
}

/* Mark names compare as reel_set_find_mark() does: case-insensitively. */
static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a != NULL ? a : "", -1);
  g_autofree char *fb = g_utf8_casefold (b != NULL ? b : "", -1);

  return g_str_equal (fa, fb);
}

static ReelSet *
set_alloc (void)
{
  ReelSet *self = g_new0 (ReelSet, 1);

  self->template_id = g_strdup ("");
  self->walls = g_array_new (FALSE, TRUE, sizeof (ReelSetWall));
  g_array_set_clear_func (self->walls, clear_wall);
  self->props = g_array_new (FALSE, TRUE, sizeof (ReelSetProp));
  g_array_set_clear_func (self->props, clear_prop);
  self->marks = g_array_new (FALSE, TRUE, sizeof (ReelSetMark));
  g_array_set_clear_func (self->marks, clear_mark);
  self->line_a = g_strdup ("");
  self->line_b = g_strdup ("");
  return self;
}

static double
wall_length (const ReelSetWall *wall)
{
  return hypot (wall->x2 - wall->x1, wall->z2 - wall->z1);
}

static guint
add_sized_prop (ReelSet    *self,
                const char *kind,
                double      x,
                double      z,
                double      rotation,
                double      width,
                double      depth,
                double      height)
{
  guint index = reel_set_add_prop (self, kind, x, z, rotation);
  ReelSetProp *prop = &g_array_index (self->props, ReelSetProp, index);

  if (width > 0)
    prop->width = width;
  if (depth > 0)
    prop->depth = depth;
  if (height > 0)
    prop->height = height;
  return index;
}

static void
build_room (ReelSet *self)
{
  guint wall;

  self->exterior = FALSE;
  self->floor_width = 6;
  self->floor_depth = 5;
  reel_set_add_wall (self, -3, -2.5, 3, -2.5, 2.7);
  wall = reel_set_add_wall (self, 3, -2.5, 3, 2.5, 2.7);
  reel_set_wall_add_opening (self, wall, REEL_SET_OPENING_WINDOW, 1.5, 1.6);
  wall = reel_set_add_wall (self, -3, 2.5, -3, -2.5, 2.7);
  reel_set_wall_add_opening (self, wall, REEL_SET_OPENING_DOOR, 3.2, 0.9);
  /* The fourth wall stays open: that is where the camera usually stands. */
  reel_set_add_prop (self, "table", 0, -0.6, 0);
  reel_set_add_prop (self, "chair", -1.1, -0.6, -90);
  reel_set_add_prop (self, "chair", 1.1, -0.6, 90);
  reel_set_add_prop (self, "sofa", 0, -2.0, 0);
  reel_set_add_mark (self, "A", -0.9, 0.2, 90, 1.6);
  reel_set_add_mark (self, "B", 0.9, 0.2, -90, 1.6);
  reel_set_set_line_of_action (self, "A", "B");
}

static void
build_street (ReelSet *self)
{
  self->exterior = TRUE;
  self->floor_width = 80;
  self->floor_depth = 30;
  for (int i = 0; i < 6; i++)
    {
      double x = -30 + i * 12;

      add_sized_prop (self, "building", x, -13, 0, 10, 8, 8 + (i * 5 % 7));
      add_sized_prop (self, "building", x + 4, 13, 180, 10, 8, 9 + (i * 3 % 5));
      reel_set_add_prop (self, "lamp_post", x + 6, -7.5, 0);
    }
  reel_set_add_prop (self, "car", -6, 2.5, 90);
  reel_set_add_prop (self, "car", 9, -2.5, -90);
  reel_set_add_prop (self, "tree", 16, 7.5, 0);
  reel_set_add_mark (self, "A", -1.2, -6, 90, 1.6);
  reel_set_add_mark (self, "B", 1.2, -6, -90, 1.6);
  reel_set_set_line_of_action (self, "A", "B");
}

static void
build_waterfront (ReelSet *self)
{
  self->exterior = TRUE;
  self->floor_width = 60;
  self->floor_depth = 20;
  /* The quay is the floor (z from −10 to 10); the water lies beyond it, a metre lower. */
  {
    guint water = add_sized_prop (self, "water", 0, -110, 0, 400, 200, 0.05);

    g_array_index (self->props, ReelSetProp, water).elevation = -1.05;
  }
  {
    guint pier = reel_set_add_prop (self, "pier", 0, -22, 0);

    g_array_index (self->props, ReelSetProp, pier).elevation = -1.1;
  }
  {
    guint boat = reel_set_add_prop (self, "boat", -6, -20, 8);

    g_array_index (self->props, ReelSetProp, boat).elevation = -1.3;
    boat = reel_set_add_prop (self, "boat", 5.5, -28, -5);
    g_array_index (self->props, ReelSetProp, boat).elevation = -1.3;
  }
  for (int i = 0; i < 6; i++)
    reel_set_add_prop (self, "bollard", -25 + i * 10, -9.6, 0);
  add_sized_prop (self, "building", -18, 6, 0, 14, 6, 7);
  add_sized_prop (self, "building", 16, 6, 0, 12, 6, 6);
  reel_set_add_prop (self, "lamp_post", -4, -8.5, 0);
  reel_set_add_prop (self, "box", 8, -6, 20);
  reel_set_add_mark (self, "A", -1.0, -6, 90, 1.6);
  reel_set_add_mark (self, "B", 1.0, -6, -90, 1.6);
  reel_set_set_line_of_action (self, "A", "B");
}

static gboolean
check_number (double       value,
              double       min,
              double       max,
              const char  *what,
              guint        index,
              GError     **error)
{
  if (isfinite (value) && value >= min && value <= max)
    return TRUE;

  /* Translators: the first %s is a part of a set ("prop", "wall", "mark"), %u its number */
  g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE,
               _("The set’s %s %u has a size or position that is not a usable number of "
                 "metres."), what, index + 1);
  return FALSE;
}

static gboolean
check_count (guint        count,
             guint        max,
             GError     **error)
{
  if (count <= max)
    return TRUE;

  g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE,
               _("The set has more objects than Storyreel draws (%u, at most %u)."),
               count, max);
  return FALSE;
}

/* Public */

ReelSet *
reel_set_new (void)
{
  return reel_set_new_from_template ("stage");
}

ReelSet *
reel_set_new_from_template (const char *template_id)
{
  ReelSet *self;

  if (template_id == NULL)
    return NULL;

  self = set_alloc ();
  g_free (self->template_id);
  self->template_id = g_strdup (template_id);
  self->floor_width = 20;
  self->floor_depth = 20;

  if (g_str_equal (template_id, "stage"))
    ;
  else if (g_str_equal (template_id, "room"))
    build_room (self);
  else if (g_str_equal (template_id, "street"))
    build_street (self);
  else if (g_str_equal (template_id, "waterfront"))
    build_waterfront (self);
  else
    g_clear_pointer (&self, reel_set_free);

  return self;
}

const ReelSetTemplate *
reel_set_get_templates (guint *n_templates)
{
  if (n_templates != NULL)
    *n_templates = G_N_ELEMENTS (templates);
  return templates;
}

/**
 * reel_set_new_generic:
 *
 * A place for a scene without a set of its own, chosen by the location's name: every
 * shot of the scene sees the same one.
 *
 * Returns: (transfer full): the set
 */
ReelSet *
reel_set_new_generic (gboolean    exterior,
                      const char *location)
{
  g_autofree char *key = g_utf8_casefold (location != NULL ? location : "", -1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (key) ^ (exterior ? 0x5eed : 0));
  ReelSet *self = set_alloc ();

  g_free (self->template_id);
  self->template_id = g_strdup ("");
  self->exterior = exterior;

  if (exterior)
    {
      static const char * const kinds[] = { "building", "building", "tree", "lamp_post",
                                            "car", "box", "bench" };

      self->floor_width = 60;
      self->floor_depth = 60;
      for (guint i = 0; i < 28; i++)
        {
          double angle = g_rand_double_range (rand, 0, 2 * G_PI);
          double distance = g_rand_double_range (rand, 7, 45);
          const char *kind = kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))];
          double x = sin (angle) * distance;
          double z = -cos (angle) * distance;
          guint index = reel_set_add_prop (self, kind, x, z, g_rand_double_range (rand, -30, 30));
          ReelSetProp *prop = &g_array_index (self->props, ReelSetProp, index);

          if (g_str_equal (kind, "building"))
            {
              prop->width = g_rand_double_range (rand, 6, 14);
              prop->depth = g_rand_double_range (rand, 5, 10);
              prop->height = g_rand_double_range (rand, 5, 18);
              prop->rotation = angle * 180 / G_PI;
            }
          else if (g_str_equal (kind, "box"))
            {
              prop->width = g_rand_double_range (rand, 0.8, 3);
              prop->depth = g_rand_double_range (rand, 0.8, 3);
              prop->height = g_rand_double_range (rand, 0.6, 2.5);
            }
        }
    }
  else
    {
      double w = g_rand_double_range (rand, 5, 9);
      double d = g_rand_double_range (rand, 4, 8);
      guint wall;

      self->floor_width = w;
      self->floor_depth = d;
      wall = reel_set_add_wall (self, -w / 2, -d / 2, w / 2, -d / 2, 2.7);
      reel_set_wall_add_opening (self, wall, REEL_SET_OPENING_WINDOW,
                                 g_rand_double_range (rand, 0.5, w - 2.2), 1.5);
      wall = reel_set_add_wall (self, w / 2, -d / 2, w / 2, d / 2, 2.7);
      reel_set_wall_add_opening (self, wall, REEL_SET_OPENING_DOOR,
                                 g_rand_double_range (rand, 0.3, d - 1.3), 0.9);
      reel_set_add_wall (self, -w / 2, d / 2, -w / 2, -d / 2, 2.7);
      reel_set_add_wall (self, w / 2, d / 2, -w / 2, d / 2, 2.7);
      reel_set_add_prop (self, "table", g_rand_double_range (rand, -w / 4, w / 4),
                         g_rand_double_range (rand, -d / 4, 0), 0);
      reel_set_add_prop (self, g_rand_boolean (rand) ? "sofa" : "bed",
                         g_rand_double_range (rand, -w / 4, w / 4), -d / 2 + 0.6, 0);
      reel_set_add_prop (self, "chair", -w / 2 + 0.6, g_rand_double_range (rand, -d / 4, d / 4),
                         90);
      add_sized_prop (self, "box", w / 2 - 0.4, g_rand_double_range (rand, -d / 3, d / 3), 0,
                      0.5, 1.2, g_rand_double_range (rand, 0.8, 2.0));
    }

  return self;
}

ReelSet *
reel_set_copy (const ReelSet *self)
{
  ReelSet *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = set_alloc ();
  g_free (copy->template_id);
  copy->template_id = g_strdup (self->template_id);
  copy->exterior = self->exterior;
  copy->floor_width = self->floor_width;
  copy->floor_depth = self->floor_depth;
  for (guint i = 0; i < self->walls->len; i++)
    {
      ReelSetWall wall = g_array_index (self->walls, ReelSetWall, i);

      wall.openings = g_array_copy (wall.openings);
      g_array_append_val (copy->walls, wall);
    }
  for (guint i = 0; i < self->props->len; i++)
    {
      ReelSetProp prop = g_array_index (self->props, ReelSetProp, i);

      prop.name = g_strdup (prop.name);
      g_array_append_val (copy->props, prop);
    }
  for (guint i = 0; i < self->marks->len; i++)
    {
      ReelSetMark mark = g_array_index (self->marks, ReelSetMark, i);

      mark.name = g_strdup (mark.name);
      g_array_append_val (copy->marks, mark);
    }
  g_free (copy->line_a);
  g_free (copy->line_b);
  copy->line_a = g_strdup (self->line_a);
  copy->line_b = g_strdup (self->line_b);
  return copy;
}

void
reel_set_free (ReelSet *self)
{
  if (self == NULL)
    return;

  g_free (self->template_id);
  g_array_unref (self->walls);
  g_array_unref (self->props);
  g_array_unref (self->marks);
  g_free (self->line_a);
  g_free (self->line_b);
  g_free (self);
}

gboolean
reel_set_equal (const ReelSet *a,
                const ReelSet *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  if (!g_str_equal (a->template_id, b->template_id)
      || a->exterior != b->exterior
      || a->floor_width != b->floor_width
      || a->floor_depth != b->floor_depth
      || a->walls->len != b->walls->len
      || a->props->len != b->props->len
      || a->marks->len != b->marks->len
      || !g_str_equal (a->line_a, b->line_a)
      || !g_str_equal (a->line_b, b->line_b))
    return FALSE;

  for (guint i = 0; i < a->walls->len; i++)
    {
      const ReelSetWall *wa = &g_array_index (a->walls, ReelSetWall, i);
      const ReelSetWall *wb = &g_array_index (b->walls, ReelSetWall, i);

      if (wa->x1 != wb->x1 || wa->z1 != wb->z1 || wa->x2 != wb->x2 || wa->z2 != wb->z2
          || wa->height != wb->height || wa->thickness != wb->thickness
          || wa->openings->len != wb->openings->len)
        return FALSE;

      for (guint j = 0; j < wa->openings->len; j++)
        {
          const ReelSetOpening *oa = &g_array_index (wa->openings, ReelSetOpening, j);
          const ReelSetOpening *ob = &g_array_index (wb->openings, ReelSetOpening, j);

          if (oa->kind != ob->kind || oa->offset != ob->offset || oa->width != ob->width
              || oa->sill != ob->sill || oa->height != ob->height)
            return FALSE;
        }
    }
  for (guint i = 0; i < a->props->len; i++)
    {
      const ReelSetProp *pa = &g_array_index (a->props, ReelSetProp, i);
      const ReelSetProp *pb = &g_array_index (b->props, ReelSetProp, i);

      if (!g_str_equal (pa->kind, pb->kind) || g_strcmp0 (pa->name, pb->name) != 0
          || pa->x != pb->x || pa->z != pb->z || pa->elevation != pb->elevation
          || pa->width != pb->width || pa->depth != pb->depth || pa->height != pb->height
          || pa->rotation != pb->rotation)
        return FALSE;
    }
  for (guint i = 0; i < a->marks->len; i++)
    {
      const ReelSetMark *ma = &g_array_index (a->marks, ReelSetMark, i);
      const ReelSetMark *mb = &g_array_index (b->marks, ReelSetMark, i);

      if (g_strcmp0 (ma->name, mb->name) != 0 || ma->x != mb->x || ma->z != mb->z
          || ma->facing != mb->facing || ma->eye_height != mb->eye_height)
        return FALSE;
    }

  return TRUE;
}

const ReelSetPreset *
reel_set_get_presets (guint *n_presets)
{
  if (n_presets != NULL)
    *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

const ReelSetPreset *
reel_set_lookup_preset (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (presets[i].id, id))
      return &presets[i];

  return NULL;
}

guint
reel_set_add_prop (ReelSet    *self,
                   const char *kind,
                   double      x,
                   double      z,
                   double      rotation)
{
  const ReelSetPreset *preset = reel_set_lookup_preset (kind);
  ReelSetProp prop = { 0 };

  g_return_val_if_fail (self != NULL, 0);

  if (preset == NULL)
    preset = &presets[0];

  prop.kind = preset->id;
  prop.name = g_strdup ("");
  prop.x = x;
  prop.z = z;
  prop.width = preset->width;
  prop.depth = preset->depth;
  prop.height = preset->height;
  prop.rotation = rotation;
  g_array_append_val (self->props, prop);
  return self->props->len - 1;
}

guint
reel_set_add_wall (ReelSet *self,
                   double   x1,
                   double   z1,
                   double   x2,
                   double   z2,
                   double   height)
{
  ReelSetWall wall = { x1, z1, x2, z2, height, 0.15, NULL };

  g_return_val_if_fail (self != NULL, 0);

  wall.openings = g_array_new (FALSE, TRUE, sizeof (ReelSetOpening));
  g_array_append_val (self->walls, wall);
  return self->walls->len - 1;
}

void
reel_set_wall_add_opening (ReelSet            *self,
                           guint               wall,
                           ReelSetOpeningKind  kind,
                           double              offset,
                           double              width)
{
  ReelSetOpening opening;
  ReelSetWall *w;

  g_return_if_fail (self != NULL);
  g_return_if_fail (wall < self->walls->len);

  w = &g_array_index (self->walls, ReelSetWall, wall);
  opening.kind = kind;
  opening.offset = offset;
  opening.width = width;
  opening.sill = kind == REEL_SET_OPENING_DOOR ? 0 : 0.9;
  opening.height = kind == REEL_SET_OPENING_DOOR ? MIN (2.1, w->height) : MIN (1.3, w->height - 0.9);
  g_array_append_val (w->openings, opening);
}

guint
reel_set_add_mark (ReelSet    *self,
                   const char *name,
                   double      x,
                   double      z,
                   double      facing,
                   double      eye_height)
{
  ReelSetMark mark = { g_strdup (name != NULL ? name : ""), x, z, facing, eye_height };

  g_return_val_if_fail (self != NULL, 0);

  g_array_append_val (self->marks, mark);
  return self->marks->len - 1;
}

void
reel_set_remove_wall (ReelSet *self,
                      guint    wall)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (wall < self->walls->len);

  g_array_remove_index (self->walls, wall);
}

void
reel_set_remove_opening (ReelSet *self,
                         guint    wall,
                         guint    opening)
{
  ReelSetWall *w;

  g_return_if_fail (self != NULL);
  g_return_if_fail (wall < self->walls->len);

  w = &g_array_index (self->walls, ReelSetWall, wall);
  g_return_if_fail (opening < w->openings->len);
  g_array_remove_index (w->openings, opening);
}

void
reel_set_remove_prop (ReelSet *self,
                      guint    prop)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (prop < self->props->len);

  g_array_remove_index (self->props, prop);
}

void
reel_set_remove_mark (ReelSet *self,
                      guint    mark)
{
  const char *name;

  g_return_if_fail (self != NULL);
  g_return_if_fail (mark < self->marks->len);

  name = g_array_index (self->marks, ReelSetMark, mark).name;
  if (same_name (self->line_a, name) || same_name (self->line_b, name))
    reel_set_set_line_of_action (self, "", "");
  g_array_remove_index (self->marks, mark);
}

void
reel_set_move_wall (ReelSet *self,
                    guint    wall,
                    double   dx,
                    double   dz)
{
  ReelSetWall *w;

  g_return_if_fail (self != NULL);
  g_return_if_fail (wall < self->walls->len);

  w = &g_array_index (self->walls, ReelSetWall, wall);
  w->x1 = CLAMP (w->x1 + dx, -REEL_SET_MAX_EXTENT, REEL_SET_MAX_EXTENT);
  w->z1 = CLAMP (w->z1 + dz, -REEL_SET_MAX_EXTENT, REEL_SET_MAX_EXTENT);
  w->x2 = CLAMP (w->x2 + dx, -REEL_SET_MAX_EXTENT, REEL_SET_MAX_EXTENT);
  w->z2 = CLAMP (w->z2 + dz, -REEL_SET_MAX_EXTENT, REEL_SET_MAX_EXTENT);
}

void
reel_set_place_opening (ReelSet *self,
                        guint    wall,
                        guint    opening,
                        double   along)
{
  ReelSetWall *w;
  ReelSetOpening *o;
  double length;

  g_return_if_fail (self != NULL);
  g_return_if_fail (wall < self->walls->len);

  w = &g_array_index (self->walls, ReelSetWall, wall);
  g_return_if_fail (opening < w->openings->len);
  o = &g_array_index (w->openings, ReelSetOpening, opening);
  length = wall_length (w);
  o->width = MIN (o->width, length);
  o->offset = CLAMP (along - o->width / 2, 0, MAX (length - o->width, 0));
}

gboolean
reel_set_rename_mark (ReelSet    *self,
                      guint       mark,
                      const char *name)
{
  g_autofree char *stripped = NULL;
  const ReelSetMark *other;
  ReelSetMark *m;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (mark < self->marks->len, FALSE);

  stripped = g_strstrip (g_strdup (name != NULL ? name : ""));
  m = &g_array_index (self->marks, ReelSetMark, mark);
  other = reel_set_find_mark (self, stripped);
  if (*stripped == '\0' || (other != NULL && other != m))
    return FALSE;

  if (same_name (self->line_a, m->name))
    {
      g_free (self->line_a);
      self->line_a = g_strdup (stripped);
    }
  if (same_name (self->line_b, m->name))
    {
      g_free (self->line_b);
      self->line_b = g_strdup (stripped);
    }
  g_free (m->name);
  m->name = g_steal_pointer (&stripped);
  return TRUE;
}

const ReelSetMark *
reel_set_find_mark (const ReelSet *self,
                    const char    *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (name == NULL || *name == '\0')
    return NULL;

  key = g_utf8_casefold (name, -1);
  for (guint i = 0; i < self->marks->len; i++)
    {
      const ReelSetMark *mark = &g_array_index (self->marks, ReelSetMark, i);
      g_autofree char *other = g_utf8_casefold (mark->name, -1);

      if (g_str_equal (key, other))
        return mark;
    }

  return NULL;
}

void
reel_set_set_line_of_action (ReelSet    *self,
                             const char *mark_a,
                             const char *mark_b)
{
  g_return_if_fail (self != NULL);

  g_free (self->line_a);
  g_free (self->line_b);
  self->line_a = g_strdup (mark_a != NULL ? mark_a : "");
  self->line_b = g_strdup (mark_b != NULL ? mark_b : "");
}

gboolean
reel_set_get_line_of_action (const ReelSet      *self,
                             const ReelSetMark **a,
                             const ReelSetMark **b)
{
  const ReelSetMark *ma;
  const ReelSetMark *mb;

  g_return_val_if_fail (self != NULL, FALSE);

  ma = reel_set_find_mark (self, self->line_a);
  mb = reel_set_find_mark (self, self->line_b);
  if (ma == NULL || mb == NULL || ma == mb || (ma->x == mb->x && ma->z == mb->z))
    return FALSE;

  if (a != NULL)
    *a = ma;
  if (b != NULL)
    *b = mb;
  return TRUE;
}

/**
 * reel_set_to_variant:
 *
 * Returns: (transfer floating): the stored form
 */
GVariant *
reel_set_to_variant (const ReelSet *self)
{
  GVariantBuilder walls;
  GVariantBuilder props;
  GVariantBuilder marks;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&walls, G_VARIANT_TYPE ("a(dddddda(udddd))"));
  for (guint i = 0; i < self->walls->len; i++)
    {
      const ReelSetWall *wall = &g_array_index (self->walls, ReelSetWall, i);
      GVariantBuilder openings;

      g_variant_builder_init (&openings, G_VARIANT_TYPE ("a(udddd)"));
      for (guint j = 0; j < wall->openings->len; j++)
        {
          const ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening, j);

          g_variant_builder_add (&openings, "(udddd)", (guint32) o->kind, o->offset, o->width,
                                 o->sill, o->height);
        }
      g_variant_builder_add (&walls, "(dddddda(udddd))", wall->x1, wall->z1, wall->x2, wall->z2,
                             wall->height, wall->thickness, &openings);
    }

  g_variant_builder_init (&props, G_VARIANT_TYPE ("a(ssddddddd)"));
  for (guint i = 0; i < self->props->len; i++)
    {
      const ReelSetProp *p = &g_array_index (self->props, ReelSetProp, i);

      g_variant_builder_add (&props, "(ssddddddd)", p->kind, p->name != NULL ? p->name : "",
                             p->x, p->z, p->elevation, p->width, p->depth, p->height,
                             p->rotation);
    }

  g_variant_builder_init (&marks, G_VARIANT_TYPE ("a(sdddd)"));
  for (guint i = 0; i < self->marks->len; i++)
    {
      const ReelSetMark *m = &g_array_index (self->marks, ReelSetMark, i);

      g_variant_builder_add (&marks, "(sdddd)", m->name, m->x, m->z, m->facing, m->eye_height);
    }

  return g_variant_new ("(usbdd@a(dddddda(udddd))@a(ssddddddd)@a(sdddd)ss)",
                        (guint32) SET_VARIANT_VERSION, self->template_id, self->exterior,
                        self->floor_width, self->floor_depth,
                        g_variant_builder_end (&walls), g_variant_builder_end (&props),
                        g_variant_builder_end (&marks), self->line_a, self->line_b);
}

/**
 * reel_set_from_variant:
 *
 * Returns: (transfer full): the set, or NULL with @error set
 */
ReelSet *
reel_set_from_variant (GVariant  *variant,
                       GError   **error)
{
  g_autoptr(ReelSet) self = NULL;
  g_autoptr(GVariant) walls = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) marks = NULL;
  const char *template_id;
  const char *line_a;
  const char *line_b;
  guint32 version;
  gboolean exterior;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (SET_VARIANT_TYPE)))
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE, "%s",
                   _("The set is damaged: its data is not in the form Storyreel writes."));
      return NULL;
    }

  g_variant_get_child (variant, 0, "u", &version);
  if (version != SET_VARIANT_VERSION)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE,
                   _("The set was written by a newer Storyreel (set version %u)."), version);
      return NULL;
    }

  self = set_alloc ();
  g_variant_get (variant, "(u&sbdd@a(dddddda(udddd))@a(ssddddddd)@a(sdddd)&s&s)", &version,
                 &template_id, &exterior, &self->floor_width, &self->floor_depth, &walls, &props,
                 &marks, &line_a, &line_b);
  g_free (self->template_id);
  self->template_id = g_strdup (template_id);
  self->exterior = exterior;
  reel_set_set_line_of_action (self, line_a, line_b);

  /* Counts first, so a hostile file never makes us allocate for it. */
  if (!check_count (g_variant_n_children (walls), REEL_SET_MAX_WALLS, error)
      || !check_count (g_variant_n_children (props), REEL_SET_MAX_PROPS, error)
      || !check_count (g_variant_n_children (marks), REEL_SET_MAX_MARKS, error))
    return NULL;

  for (gsize i = 0; i < g_variant_n_children (walls); i++)
    {
      g_autoptr(GVariant) openings = NULL;
      ReelSetWall wall;
      guint index;

      g_variant_get_child (walls, i, "(dddddd@a(udddd))", &wall.x1, &wall.z1, &wall.x2,
                           &wall.z2, &wall.height, &wall.thickness, &openings);
      if (!check_count (g_variant_n_children (openings), REEL_SET_MAX_OPENINGS, error))
        return NULL;
      index = reel_set_add_wall (self, wall.x1, wall.z1, wall.x2, wall.z2, wall.height);
      g_array_index (self->walls, ReelSetWall, index).thickness = wall.thickness;
      for (gsize j = 0; j < g_variant_n_children (openings); j++)
        {
          ReelSetOpening o;
          guint32 kind;

          g_variant_get_child (openings, j, "(udddd)", &kind, &o.offset, &o.width, &o.sill,
                               &o.height);
          o.kind = kind == REEL_SET_OPENING_WINDOW ? REEL_SET_OPENING_WINDOW
                                                   : REEL_SET_OPENING_DOOR;
          g_array_append_val (g_array_index (self->walls, ReelSetWall, index).openings, o);
        }
    }

  for (gsize i = 0; i < g_variant_n_children (props); i++)
    {
      ReelSetProp p;
      const char *kind;
      const char *name;
      const ReelSetPreset *preset;
      guint index;

      g_variant_get_child (props, i, "(&s&sddddddd)", &kind, &name, &p.x, &p.z, &p.elevation,
                           &p.width, &p.depth, &p.height, &p.rotation);
      preset = reel_set_lookup_preset (kind);
      if (preset == NULL)
        {
          g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE,
                       _("The set’s prop %u is a “%s”, which this version of Storyreel does "
                         "not know."), (guint) i + 1, kind);
          return NULL;
        }
      index = reel_set_add_prop (self, preset->id, p.x, p.z, p.rotation);
      p.kind = preset->id;
      p.name = g_strdup (name);
      g_free (g_array_index (self->props, ReelSetProp, index).name);
      g_array_index (self->props, ReelSetProp, index) = p;
    }

  for (gsize i = 0; i < g_variant_n_children (marks); i++)
    {
      ReelSetMark m;
      const char *name;

      g_variant_get_child (marks, i, "(&sdddd)", &name, &m.x, &m.z, &m.facing, &m.eye_height);
      reel_set_add_mark (self, name, m.x, m.z, m.facing, m.eye_height);
    }

  if (!reel_set_validate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
reel_set_validate (const ReelSet  *self,
                   GError        **error)
{
  const double extent = REEL_SET_MAX_EXTENT;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!check_count (self->walls->len, REEL_SET_MAX_WALLS, error)
      || !check_count (self->props->len, REEL_SET_MAX_PROPS, error)
      || !check_count (self->marks->len, REEL_SET_MAX_MARKS, error))
    return FALSE;

  if (!check_number (self->floor_width, 0.01, extent, _("floor"), 0, error)
      || !check_number (self->floor_depth, 0.01, extent, _("floor"), 0, error))
    return FALSE;

  for (guint i = 0; i < self->walls->len; i++)
    {
      const ReelSetWall *w = &g_array_index (self->walls, ReelSetWall, i);
      double length = wall_length (w);

      if (!check_number (w->x1, -extent, extent, _("wall"), i, error)
          || !check_number (w->z1, -extent, extent, _("wall"), i, error)
          || !check_number (w->x2, -extent, extent, _("wall"), i, error)
          || !check_number (w->z2, -extent, extent, _("wall"), i, error)
          || !check_number (w->height, 0.01, extent, _("wall"), i, error)
          || !check_number (w->thickness, 0.001, 100, _("wall"), i, error)
          || !check_number (length, 0.01, 4 * extent, _("wall"), i, error)
          || !check_count (w->openings->len, REEL_SET_MAX_OPENINGS, error))
        return FALSE;

      for (guint j = 0; j < w->openings->len; j++)
        {
          const ReelSetOpening *o = &g_array_index (w->openings, ReelSetOpening, j);

          if (!check_number (o->offset, 0, length, _("wall"), i, error)
              || !check_number (o->width, 0.01, length - o->offset + 1e-6, _("wall"), i, error)
              || !check_number (o->sill, 0, w->height, _("wall"), i, error)
              || !check_number (o->height, 0.01, w->height - o->sill + 1e-6, _("wall"), i,
                                error))
            return FALSE;
        }
    }

  for (guint i = 0; i < self->props->len; i++)
    {
      const ReelSetProp *p = &g_array_index (self->props, ReelSetProp, i);

      if (!check_number (p->x, -extent, extent, _("prop"), i, error)
          || !check_number (p->z, -extent, extent, _("prop"), i, error)
          || !check_number (p->elevation, -extent, extent, _("prop"), i, error)
          || !check_number (p->width, 0.001, extent, _("prop"), i, error)
          || !check_number (p->depth, 0.001, extent, _("prop"), i, error)
          || !check_number (p->height, 0.001, extent, _("prop"), i, error)
          || !check_number (p->rotation, -1e6, 1e6, _("prop"), i, error))
        return FALSE;
    }

  for (guint i = 0; i < self->marks->len; i++)
    {
      const ReelSetMark *m = &g_array_index (self->marks, ReelSetMark, i);

      if (!check_number (m->x, -extent, extent, _("mark"), i, error)
          || !check_number (m->z, -extent, extent, _("mark"), i, error)
          || !check_number (m->facing, -1e6, 1e6, _("mark"), i, error)
          || !check_number (m->eye_height, 0.05, 10, _("mark"), i, error))
        return FALSE;
    }

  return TRUE;
}
