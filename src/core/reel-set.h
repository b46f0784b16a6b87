/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * ReelSet: the floor plan of a scene, in metres. World axes are glTF's: +X to the
 * right of the plan, +Y up, +Z towards the bottom of the plan; the floor is y = 0.
 * Plan angles (a prop's rotation, a mark's facing, a camera's pan) are degrees
 * clockwise seen from above, 0 looking towards −Z (the top of the plan).
 *
 * A set is a plain value (boxed, copied on assignment): an edit copies the scene's
 * set, changes the copy and hands it to reel_edit_set_scene_set(), which records
 * one undo step.
 */

#define REEL_SET_MAX_WALLS     1000
#define REEL_SET_MAX_OPENINGS  32     /* per wall */
#define REEL_SET_MAX_PROPS     5000
#define REEL_SET_MAX_MARKS     100
#define REEL_SET_MAX_EXTENT    10000.0 /* metres from the origin, and the largest size */

/* The type of reel_set_to_variant(). */
#define REEL_SET_VARIANT_TYPE "(usbdda(dddddda(udddd))a(ssddddddd)a(sdddd)ss)"

typedef enum
{
  REEL_SET_OPENING_DOOR,
  REEL_SET_OPENING_WINDOW,
} ReelSetOpeningKind;

typedef enum
{
  REEL_SET_SHAPE_BOX,
  REEL_SET_SHAPE_CYLINDER,
} ReelSetShape;

/* An opening in a wall: @offset from the wall's first end to the opening's near edge. */
typedef struct
{
  ReelSetOpeningKind kind;
  double offset;
  double width;
  double sill;     /* bottom above the floor: 0 for a door */
  double height;   /* of the opening itself */
} ReelSetOpening;

typedef struct
{
  double x1, z1, x2, z2;
  double height;
  double thickness;
  GArray *openings;   /* ReelSetOpening, in any order */
} ReelSetWall;

/* A prop: @kind is a preset id (reel_set_get_presets()); box and cylinder are the
 * plain shapes. The preset's parts are scaled to @width × @depth × @height. */
typedef struct
{
  const char *kind;   /* static: points into the preset table */
  char *name;         /* "" when none */
  double x, z;        /* centre of the footprint */
  double elevation;   /* bottom above the floor */
  double width, depth, height;
  double rotation;    /* degrees clockwise seen from above */
} ReelSetProp;

/* An actor's mark: where a character stands, facing which way, eyes how high. */
typedef struct
{
  char *name;
  double x, z;
  double facing;
  double eye_height;
} ReelSetMark;

typedef struct
{
  char *template_id;     /* the starting point it was made from ("room", …), "" for none */
  gboolean exterior;     /* ground and sky to the horizon; else the floor is the world */
  double floor_width;    /* along X */
  double floor_depth;    /* along Z */
  GArray *walls;         /* ReelSetWall */
  GArray *props;         /* ReelSetProp */
  GArray *marks;         /* ReelSetMark */
  char *line_a;          /* line of action: between the marks of these names; "" for none */
  char *line_b;
} ReelSet;

/* One part of a preset, in the unit footprint: x and z in −0.5…0.5 of the width and
 * depth, y in 0…1 of the height; @shade is the grey (0 black – 1 white). */
typedef struct
{
  ReelSetShape shape;
  double x0, y0, z0, x1, y1, z1;
  double shade;
} ReelSetPart;

typedef struct
{
  const char *id;
  const char *label;          /* N_() */
  double width, depth, height;
  const ReelSetPart *parts;
  guint n_parts;
} ReelSetPreset;

typedef struct
{
  const char *id;
  const char *label;          /* N_() */
} ReelSetTemplate;

#define REEL_TYPE_SET (reel_set_get_type ())
GType                 reel_set_get_type          (void) G_GNUC_CONST;

/* An empty stage: a 20 × 20 m floor, nothing on it. */
ReelSet              *reel_set_new               (void);
/* "stage", "room", "street", "waterfront"; NULL for an unknown id. */
ReelSet              *reel_set_new_from_template (const char          *template_id);
const ReelSetTemplate *reel_set_get_templates    (guint               *n_templates);
/* A set for a scene that has none: the same @location always gives the same place. */
ReelSet              *reel_set_new_generic       (gboolean             exterior,
                                                  const char          *location);
ReelSet              *reel_set_copy              (const ReelSet       *self);
void                  reel_set_free              (ReelSet             *self);
/* NULL-safe. */
gboolean              reel_set_equal             (const ReelSet       *a,
                                                  const ReelSet       *b);

const ReelSetPreset  *reel_set_get_presets       (guint               *n_presets);
/* NULL for an unknown id. */
const ReelSetPreset  *reel_set_lookup_preset     (const char          *id);

/* Appends and returns the index. Sizes of 0 take the preset's own. */
guint                 reel_set_add_prop          (ReelSet             *self,
                                                  const char          *kind,
                                                  double               x,
                                                  double               z,
                                                  double               rotation);
guint                 reel_set_add_wall          (ReelSet             *self,
                                                  double               x1,
                                                  double               z1,
                                                  double               x2,
                                                  double               z2,
                                                  double               height);
void                  reel_set_wall_add_opening  (ReelSet             *self,
                                                  guint                wall,
                                                  ReelSetOpeningKind   kind,
                                                  double               offset,
                                                  double               width);
guint                 reel_set_add_mark          (ReelSet             *self,
                                                  const char          *name,
                                                  double               x,
                                                  double               z,
                                                  double               facing,
                                                  double               eye_height);
/* Removing a wall takes its openings; removing a mark ends a line of action that
 * named it. */
void                  reel_set_remove_wall       (ReelSet             *self,
                                                  guint                wall);
void                  reel_set_remove_opening    (ReelSet             *self,
                                                  guint                wall,
                                                  guint                opening);
void                  reel_set_remove_prop       (ReelSet             *self,
                                                  guint                prop);
void                  reel_set_remove_mark       (ReelSet             *self,
                                                  guint                mark);
/* Moves a wall by (@dx, @dz), its openings with it. */
void                  reel_set_move_wall         (ReelSet             *self,
                                                  guint                wall,
                                                  double               dx,
                                                  double               dz);
/* Puts an opening's middle at @along metres from the wall's first end, kept on the wall. */
void                  reel_set_place_opening     (ReelSet             *self,
                                                  guint                wall,
                                                  guint                opening,
                                                  double               along);
/* Renames a mark, and the line of action with it. FALSE (nothing changed) when the name
 * is empty or another mark already has it. */
gboolean              reel_set_rename_mark       (ReelSet             *self,
                                                  guint                mark,
                                                  const char          *name);
/* Case-insensitive; NULL when no mark has that name. */
const ReelSetMark    *reel_set_find_mark         (const ReelSet       *self,
                                                  const char          *name);
void                  reel_set_set_line_of_action (ReelSet            *self,
                                                   const char         *mark_a,
                                                   const char         *mark_b);
/* TRUE when both ends name marks of the set. */
gboolean              reel_set_get_line_of_action (const ReelSet      *self,
                                                   const ReelSetMark **a,
                                                   const ReelSetMark **b);

/* The stored form (see reel-set.c for its shape). */
GVariant             *reel_set_to_variant        (const ReelSet       *self);
/* Checks every count, size and number (no NaN, nothing negative or absurd): a
 * hostile file gives a clear error, never a crash or a set that cannot be drawn. */
ReelSet              *reel_set_from_variant      (GVariant            *variant,
                                                  GError             **error);
/* Same checks on a set built in memory. */
gboolean              reel_set_validate          (const ReelSet       *self,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSet, reel_set_free)

G_END_DECLS
