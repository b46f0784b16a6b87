/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/reel-set.h"

G_BEGIN_DECLS

/*
 * The set as triangles, in world metres: what the gray-box renderer draws and the glTF
 * export writes, so both show the same geometry. Faces are flat: each face has its own
 * vertices (positions and normals), in counter-clockwise order seen from outside.
 */

typedef enum
{
  REEL_SET_OBJECT_FLOOR,
  REEL_SET_OBJECT_GROUND,    /* the land beyond the floor of an exterior */
  REEL_SET_OBJECT_WALL,
  REEL_SET_OBJECT_PROP,
  REEL_SET_OBJECT_MARK,
  REEL_SET_OBJECT_CEILING,   /* over an interior's floor, at the top of its walls */
} ReelSetObjectKind;

typedef struct
{
  ReelSetObjectKind kind;
  int index;             /* into the set's walls, props or marks; -1 for floor/ground */
  char *name;            /* "Floor", "Wall 2", "Table 3", "Maya" */
  guint first_triangle;
  guint n_triangles;
  gboolean water;        /* a surface of water: drawn with the colour of the sky it mirrors */
} ReelSetMeshObject;

typedef struct
{
  GArray *positions;     /* float x, y, z per vertex */
  GArray *normals;       /* float x, y, z per vertex */
  GArray *indices;       /* guint32, three per triangle */
  GArray *triangle_face; /* guint32 per triangle: faces are the flat polygons (a box has 6) */
  GArray *face_shade;    /* float per face: the grey, 0–1 */
  GArray *objects;       /* ReelSetMeshObject */
  guint n_faces;
} ReelSetMesh;

/* @with_marks: stand-in figures at the actors' marks. */
ReelSetMesh *reel_set_mesh_new       (const ReelSet *set,
                                      gboolean       with_marks);
void         reel_set_mesh_free      (ReelSetMesh   *self);
guint        reel_set_mesh_get_n_triangles (const ReelSetMesh *self);
guint        reel_set_mesh_get_n_vertices  (const ReelSetMesh *self);
/* Vertices of an object: its triangles use vertices first_vertex … first_vertex + n − 1. */
void         reel_set_mesh_object_get_vertices (const ReelSetMesh       *self,
                                                const ReelSetMeshObject *object,
                                                guint                   *first_vertex,
                                                guint                   *n_vertices);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSetMesh, reel_set_mesh_free)

G_END_DECLS
