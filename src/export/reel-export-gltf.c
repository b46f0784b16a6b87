/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-gltf"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "core/reel-set-mesh.h"
#include "core/reel-shot-camera.h"
#include "reel-export-context-private.h"
#include "reel-export-formats-private.h"

/*
 * Sets and shot cameras as glTF 2.0 for Blender, Unreal and other previs tools: metres,
 * right-handed, +Y up, as Storyreel's sets already are. Each Storyreel scene in scope is
 * a glTF scene holding its set (one mesh per wall, prop and the floor, grey in vertex
 * colours) and one camera node per shot, named by the shot number, whose perspective
 * camera has the shot's vertical field of view: the frame of the project's aspect across
 * the sensor's width, on the shot's lens. A shot whose camera moves gets an animation of
 * its camera node (translation and rotation, sampled along its easing), as long as the shot.
 * A scene without a set gets the generic place the gray-box draws for it, and a shot
 * without a camera stands where the gray-box puts it.
 *
 * The file is binary .glb, or .gltf (JSON with the buffer inline as base64) when the
 * output's name ends in .gltf.
 */

#define GLTF_FLOAT          5126
#define GLTF_UNSIGNED_INT   5125
#define GLTF_ARRAY_BUFFER   34962
#define GLTF_ELEMENT_BUFFER 34963
#define MOVE_SAMPLES        25

typedef struct
{
  JsonBuilder *accessors;
  JsonBuilder *buffer_views;
  GByteArray *buffer;
  guint n_accessors;
} Binary;

static void
member_double (JsonBuilder *builder,
               const char  *name,
               double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
member_int (JsonBuilder *builder,
            const char  *name,
            gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
member_string (JsonBuilder *builder,
               const char  *name,
               const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
member_vector (JsonBuilder  *builder,
               const char   *name,
               const double *values,
               guint         n_values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_values; i++)
    json_builder_add_double_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* Appends @data as a buffer view and an accessor of @n_items @type ("VEC3", "SCALAR" …);
 * float accessors get their min and max (POSITION and animation inputs must have them).
 * Returns the accessor's index. */
static guint
add_accessor (Binary      *binary,
              const void  *data,
              guint        n_items,
              guint        n_components,
              const char  *type,
              int          component_type,
              int          target,
              gboolean     with_bounds)
{
  gsize length = (gsize) n_items * n_components * 4;
  guint view = binary->n_accessors;

  /* Every view starts on a 4-byte boundary: all our components are 4 bytes. */
  while (binary->buffer->len % 4 != 0)
    g_byte_array_append (binary->buffer, (const guint8 *) "\0", 1);

  json_builder_begin_object (binary->buffer_views);
  member_int (binary->buffer_views, "buffer", 0);
  member_int (binary->buffer_views, "byteOffset", binary->buffer->len);
  member_int (binary->buffer_views, "byteLength", length);
  if (target != 0)
    member_int (binary->buffer_views, "target", target);
  json_builder_end_object (binary->buffer_views);
  g_byte_array_append (binary->buffer, data, length);

  json_builder_begin_object (binary->accessors);
  member_int (binary->accessors, "bufferView", view);
  member_int (binary->accessors, "componentType", component_type);
  member_int (binary->accessors, "count", n_items);
  member_string (binary->accessors, "type", type);
  if (with_bounds && component_type == GLTF_FLOAT && n_items > 0)
    {
      const float *values = data;
      double min[4], max[4];

      for (guint c = 0; c < n_components; c++)
        {
          min[c] = G_MAXDOUBLE;
          max[c] = -G_MAXDOUBLE;
        }
      for (guint i = 0; i < n_items; i++)
        for (guint c = 0; c < n_components; c++)
          {
            min[c] = MIN (min[c], values[i * n_components + c]);
            max[c] = MAX (max[c], values[i * n_components + c]);
          }
      member_vector (binary->accessors, "min", min, n_components);
      member_vector (binary->accessors, "max", max, n_components);
    }
  json_builder_end_object (binary->accessors);

  return binary->n_accessors++;
}

static void
default_pose (const ReelSet  *set,
              ReelShot       *shot,
              ReelCameraPose *pose)
{
  pose->x = 0;
  pose->z = set->exterior ? 8 : MAX (set->floor_depth / 2 - 0.4, 0.5);
  pose->height = reel_shot_get_camera_height_m (shot);
  pose->pan = 0;
  pose->tilt = reel_camera_angle_get_tilt (reel_shot_get_angle (shot));
  pose->roll = reel_camera_angle_get_roll (reel_shot_get_angle (shot));
  pose->lens_mm = reel_shot_get_lens_mm (shot);
}

static void
pose_transform (const ReelCameraPose *pose,
                double                translation[3],
                double                rotation[4])
{
  graphene_quaternion_t q;
  graphene_vec4_t v;

  reel_camera_pose_get_rotation (pose, &q);
  graphene_quaternion_to_vec4 (&q, &v);
  translation[0] = pose->x;
  translation[1] = pose->height;
  translation[2] = pose->z;
  rotation[0] = graphene_vec4_get_x (&v);
  rotation[1] = graphene_vec4_get_y (&v);
  rotation[2] = graphene_vec4_get_z (&v);
  rotation[3] = graphene_vec4_get_w (&v);
}

/* The set's objects as meshes; returns the node indices in @set_nodes. */
static void
add_set (Binary        *binary,
         JsonBuilder   *meshes,
         guint         *n_meshes,
         JsonBuilder   *nodes,
         guint         *n_nodes,
         const ReelSet *set,
         GArray        *set_nodes)
{
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, TRUE);
  const float *positions = (const float *) mesh->positions->data;
  const float *normals = (const float *) mesh->normals->data;
  const guint32 *indices = (const guint32 *) mesh->indices->data;
  const guint32 *triangle_face = (const guint32 *) mesh->triangle_face->data;

  for (guint o = 0; o < mesh->objects->len; o++)
    {
      const ReelSetMeshObject *object = &g_array_index (mesh->objects, ReelSetMeshObject, o);
      guint first, n_vertices;
      g_autofree float *colours = NULL;
      g_autofree guint32 *local = NULL;
      guint position, normal, colour, index;

      /* The studio floor the gray-box lays round an interior, 4 km wide, is a backdrop
       * for its renders, not part of the set: a previs scene gets the room alone. */
      if (object->kind == REEL_SET_OBJECT_GROUND && !set->exterior)
        continue;
      reel_set_mesh_object_get_vertices (mesh, object, &first, &n_vertices);
      if (n_vertices == 0)
        continue;

      colours = g_new (float, 3 * n_vertices);
      local = g_new (guint32, 3 * object->n_triangles);
      for (guint t = 0; t < object->n_triangles; t++)
        {
          guint triangle = object->first_triangle + t;
          float shade = g_array_index (mesh->face_shade, float, triangle_face[triangle]);

          for (guint k = 0; k < 3; k++)
            {
              guint32 vertex = indices[3 * triangle + k];

              local[3 * t + k] = vertex - first;
              colours[3 * (vertex - first)] = shade;
              colours[3 * (vertex - first) + 1] = shade;
              colours[3 * (vertex - first) + 2] = shade;
            }
        }

      position = add_accessor (binary, positions + 3 * first, n_vertices, 3, "VEC3", GLTF_FLOAT,
                               GLTF_ARRAY_BUFFER, TRUE);
      normal = add_accessor (binary, normals + 3 * first, n_vertices, 3, "VEC3", GLTF_FLOAT,
                             GLTF_ARRAY_BUFFER, FALSE);
      colour = add_accessor (binary, colours, n_vertices, 3, "VEC3", GLTF_FLOAT,
                             GLTF_ARRAY_BUFFER, FALSE);
      index = add_accessor (binary, local, 3 * object->n_triangles, 1, "SCALAR",
                            GLTF_UNSIGNED_INT, GLTF_ELEMENT_BUFFER, FALSE);

      json_builder_begin_object (meshes);
      member_string (meshes, "name", object->name);
      json_builder_set_member_name (meshes, "primitives");
      json_builder_begin_array (meshes);
      json_builder_begin_object (meshes);
      json_builder_set_member_name (meshes, "attributes");
      json_builder_begin_object (meshes);
      member_int (meshes, "POSITION", position);
      member_int (meshes, "NORMAL", normal);
      member_int (meshes, "COLOR_0", colour);
      json_builder_end_object (meshes);
      member_int (meshes, "indices", index);
      member_int (meshes, "material", 0);
      json_builder_end_object (meshes);
      json_builder_end_array (meshes);
      json_builder_end_object (meshes);

      json_builder_begin_object (nodes);
      member_string (nodes, "name", object->name);
      member_int (nodes, "mesh", (*n_meshes)++);
      json_builder_end_object (nodes);
      g_array_append_val (set_nodes, *n_nodes);
      (*n_nodes)++;
    }
}

static void
add_move (Binary               *binary,
          JsonBuilder          *animations,
          guint                 node,
          const char           *name,
          const ReelShotCamera *camera,
          double                seconds)
{
  float times[MOVE_SAMPLES];
  float translations[3 * MOVE_SAMPLES];
  float rotations[4 * MOVE_SAMPLES];
  guint input, translation_output, rotation_output;

  for (guint i = 0; i < MOVE_SAMPLES; i++)
    {
      double t = (double) i / (MOVE_SAMPLES - 1);
      ReelCameraPose pose;
      double tr[3], ro[4];

      reel_shot_camera_pose_at (camera, t, &pose);
      pose_transform (&pose, tr, ro);
      times[i] = (float) (t * seconds);
      for (guint k = 0; k < 3; k++)
        translations[3 * i + k] = (float) tr[k];
      /* Keep consecutive quaternions in one hemisphere: the shortest way round. */
      if (i > 0)
        {
          double dot = 0;

          for (guint k = 0; k < 4; k++)
            dot += ro[k] * rotations[4 * (i - 1) + k];
          if (dot < 0)
            for (guint k = 0; k < 4; k++)
              ro[k] = -ro[k];
        }
      for (guint k = 0; k < 4; k++)
        rotations[4 * i + k] = (float) ro[k];
    }

  input = add_accessor (binary, times, MOVE_SAMPLES, 1, "SCALAR", GLTF_FLOAT, 0, TRUE);
  translation_output = add_accessor (binary, translations, MOVE_SAMPLES, 3, "VEC3", GLTF_FLOAT,
                                     0, FALSE);
  rotation_output = add_accessor (binary, rotations, MOVE_SAMPLES, 4, "VEC4", GLTF_FLOAT, 0,
                                  FALSE);

  json_builder_begin_object (animations);
  member_string (animations, "name", name);
  json_builder_set_member_name (animations, "samplers");
  json_builder_begin_array (animations);
  for (guint s = 0; s < 2; s++)
    {
      json_builder_begin_object (animations);
      member_int (animations, "input", input);
      member_int (animations, "output", s == 0 ? translation_output : rotation_output);
      member_string (animations, "interpolation", "LINEAR");
      json_builder_end_object (animations);
    }
  json_builder_end_array (animations);
  json_builder_set_member_name (animations, "channels");
  json_builder_begin_array (animations);
  for (guint s = 0; s < 2; s++)
    {
      json_builder_begin_object (animations);
      member_int (animations, "sampler", s);
      json_builder_set_member_name (animations, "target");
      json_builder_begin_object (animations);
      member_int (animations, "node", node);
      member_string (animations, "path", s == 0 ? "translation" : "rotation");
      json_builder_end_object (animations);
      json_builder_end_object (animations);
    }
  json_builder_end_array (animations);
  json_builder_end_object (animations);
}

static void
begin_named_array (JsonBuilder *builder)
{
  json_builder_begin_array (builder);
}

static JsonNode *
end_array (JsonBuilder *builder)
{
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* The vertical field of view in radians of a frame of @aspect (width / height) spanning
 * @sensor_width_mm on a @lens_mm lens: 2·atan(tan(hfov / 2) / aspect). */
static double
gltf_vertical_fov (double sensor_width_mm,
                               double lens_mm,
                               double aspect)
{
  return 2 * atan (sensor_width_mm / aspect / (2 * lens_mm));
}

static gboolean
reel_export_gltf_write (ReelExportContext  *context,
                        GError            **error)
{
  ReelProject *project = reel_export_context_get_project (context);
  const ReelSensor *sensor = reel_optics_sensor_lookup_or_default (reel_project_get_sensor (project));
  double aspect = reel_project_get_aspect_ratio (project);
  ReelFrameRate rate = reel_export_context_get_frame_rate (context);
  g_autoptr(GFile) output = g_object_ref (reel_export_context_get_output (context));
  g_autofree char *basename = g_file_get_basename (output);
  gboolean as_json = g_str_has_suffix (basename, ".gltf") || g_str_has_suffix (basename, ".GLTF");
  ReelExportShot * const *shots;
  guint n_shots;
  Binary binary = { 0 };
  g_autoptr(JsonBuilder) nodes = json_builder_new ();
  g_autoptr(JsonBuilder) meshes = json_builder_new ();
  g_autoptr(JsonBuilder) cameras = json_builder_new ();
  g_autoptr(JsonBuilder) animations = json_builder_new ();
  g_autoptr(JsonBuilder) scenes = json_builder_new ();
  g_autoptr(JsonBuilder) accessors = json_builder_new ();
  g_autoptr(JsonBuilder) buffer_views = json_builder_new ();
  g_autoptr(JsonBuilder) root = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autofree char *json = NULL;
  gsize json_length;
  guint n_nodes = 0, n_meshes = 0, n_cameras = 0, n_animations = 0;
  guint i = 0;

  binary.accessors = accessors;
  binary.buffer_views = buffer_views;
  binary.buffer = buffer;

  begin_named_array (nodes);
  begin_named_array (meshes);
  begin_named_array (cameras);
  begin_named_array (animations);
  begin_named_array (scenes);
  begin_named_array (accessors);
  begin_named_array (buffer_views);

  shots = reel_export_context_get_shots (context, &n_shots);
  while (i < n_shots)
    {
      ReelScene *scene = shots[i]->scene;
      g_autoptr(ReelSet) generic = NULL;
      const ReelSet *set = reel_scene_get_set (scene);
      g_autoptr(GArray) scene_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) camera_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autofree char *scene_name = NULL;
      guint set_root, cameras_root;

      if (!reel_export_context_check_cancelled (context, error))
        return FALSE;

      if (set == NULL)
        set = generic = reel_set_new_generic (reel_scene_get_int_ext (scene) != REEL_INT_EXT_INT,
                                              reel_scene_get_location (scene));

      add_set (&binary, meshes, &n_meshes, nodes, &n_nodes, set, scene_nodes);

      /* The shots of this scene (the scope lists them in project order). */
      for (; i < n_shots && shots[i]->scene == scene; i++)
        {
          const ReelExportShot *item = shots[i];
          const ReelShotCamera *camera = reel_shot_get_camera (item->shot);
          ReelCameraPose pose;
          double translation[3], rotation[4];
          double seconds = (double) item->duration * rate.den / MAX (rate.num, 1);

          if (camera != NULL)
            pose = camera->start;
          else
            default_pose (set, item->shot, &pose);
          pose_transform (&pose, translation, rotation);

          json_builder_begin_object (cameras);
          member_string (cameras, "name", reel_shot_get_number (item->shot));
          member_string (cameras, "type", "perspective");
          json_builder_set_member_name (cameras, "perspective");
          json_builder_begin_object (cameras);
          member_double (cameras, "yfov",
                         gltf_vertical_fov (sensor->width_mm, pose.lens_mm, aspect));
          member_double (cameras, "aspectRatio", aspect);
          member_double (cameras, "znear", 0.05);
          member_double (cameras, "zfar", 5000);
          json_builder_end_object (cameras);
          json_builder_end_object (cameras);

          json_builder_begin_object (nodes);
          member_string (nodes, "name", reel_shot_get_number (item->shot));
          member_int (nodes, "camera", n_cameras++);
          member_vector (nodes, "translation", translation, 3);
          member_vector (nodes, "rotation", rotation, 4);
          json_builder_set_member_name (nodes, "extras");
          json_builder_begin_object (nodes);
          member_string (nodes, "shot_code", item->code);
          member_double (nodes, "lens_mm", pose.lens_mm);
          member_string (nodes, "sensor", sensor->id);
          member_double (nodes, "sensor_width_mm", sensor->width_mm);
          member_double (nodes, "horizontal_fov_deg",
                         reel_optics_horizontal_fov (sensor->width_mm, pose.lens_mm));
          json_builder_set_member_name (nodes, "placed");
          json_builder_add_boolean_value (nodes, camera != NULL);
          if (camera != NULL && camera->moves)
            member_double (nodes, "end_lens_mm", camera->end.lens_mm);
          json_builder_end_object (nodes);
          json_builder_end_object (nodes);

          if (camera != NULL && camera->moves)
            {
              add_move (&binary, animations, n_nodes, reel_shot_get_number (item->shot), camera,
                        MAX (seconds, 1.0 / 24));
              n_animations++;
            }
          g_array_append_val (camera_nodes, n_nodes);
          n_nodes++;
        }

      /* Two groups under the scene: the set and the cameras. */
      json_builder_begin_object (nodes);
      member_string (nodes, "name", "Set");
      json_builder_set_member_name (nodes, "children");
      json_builder_begin_array (nodes);
      for (guint k = 0; k < scene_nodes->len; k++)
        json_builder_add_int_value (nodes, g_array_index (scene_nodes, guint, k));
      json_builder_end_array (nodes);
      json_builder_end_object (nodes);
      set_root = n_nodes++;

      json_builder_begin_object (nodes);
      member_string (nodes, "name", "Cameras");
      json_builder_set_member_name (nodes, "children");
      json_builder_begin_array (nodes);
      for (guint k = 0; k < camera_nodes->len; k++)
        json_builder_add_int_value (nodes, g_array_index (camera_nodes, guint, k));
      json_builder_end_array (nodes);
      json_builder_end_object (nodes);
      cameras_root = n_nodes++;

      scene_name = g_strdup_printf ("%s %s", shots[i - 1]->scene_code,
                                    reel_scene_get_heading (scene));
      json_builder_begin_object (scenes);
      member_string (scenes, "name", g_strstrip (scene_name));
      json_builder_set_member_name (scenes, "nodes");
      json_builder_begin_array (scenes);
      json_builder_add_int_value (scenes, set_root);
      json_builder_add_int_value (scenes, cameras_root);
      json_builder_end_array (scenes);
      json_builder_end_object (scenes);

      reel_export_context_progress (context, (double) i / MAX (n_shots, 1));
    }

  json_builder_begin_object (root);
  json_builder_set_member_name (root, "asset");
  json_builder_begin_object (root);
  member_string (root, "version", "2.0");
  member_string (root, "generator", "Storyreel " PACKAGE_VERSION);
  json_builder_end_object (root);
  if (n_shots > 0)
    member_int (root, "scene", 0);
  json_builder_set_member_name (root, "scenes");
  json_builder_add_value (root, end_array (scenes));
  json_builder_set_member_name (root, "nodes");
  json_builder_add_value (root, end_array (nodes));
  json_builder_set_member_name (root, "meshes");
  json_builder_add_value (root, end_array (meshes));
  json_builder_set_member_name (root, "cameras");
  json_builder_add_value (root, end_array (cameras));
  if (n_animations > 0)
    {
      json_builder_set_member_name (root, "animations");
      json_builder_add_value (root, end_array (animations));
    }
  json_builder_set_member_name (root, "materials");
  json_builder_begin_array (root);
  json_builder_begin_object (root);
  member_string (root, "name", "Gray-box");
  json_builder_set_member_name (root, "pbrMetallicRoughness");
  json_builder_begin_object (root);
  member_double (root, "metallicFactor", 0);
  member_double (root, "roughnessFactor", 0.9);
  json_builder_end_object (root);
  json_builder_end_object (root);
  json_builder_end_array (root);
  json_builder_set_member_name (root, "accessors");
  json_builder_add_value (root, end_array (accessors));
  json_builder_set_member_name (root, "bufferViews");
  json_builder_add_value (root, end_array (buffer_views));

  while (buffer->len % 4 != 0)
    g_byte_array_append (buffer, (const guint8 *) "\0", 1);
  json_builder_set_member_name (root, "buffers");
  json_builder_begin_array (root);
  json_builder_begin_object (root);
  member_int (root, "byteLength", buffer->len);
  if (as_json)
    {
      g_autofree char *base64 = g_base64_encode (buffer->data, buffer->len);
      g_autofree char *uri = g_strconcat ("data:application/octet-stream;base64,", base64, NULL);

      member_string (root, "uri", uri);
    }
  json_builder_end_object (root);
  json_builder_end_array (root);
  json_builder_end_object (root);

  /* glTF wants arrays it names to be non-empty: drop the empty ones. */
  root_node = json_builder_get_root (root);
  {
    JsonObject *object = json_node_get_object (root_node);
    static const char * const optional[] = { "scenes", "nodes", "meshes", "cameras",
                                             "accessors", "bufferViews" };

    for (guint k = 0; k < G_N_ELEMENTS (optional); k++)
      if (json_array_get_length (json_object_get_array_member (object, optional[k])) == 0)
        json_object_remove_member (object, optional[k]);
    if (buffer->len == 0)
      json_object_remove_member (object, "buffers");
  }

  json_generator_set_root (generator, root_node);
  json_generator_set_pretty (generator, as_json);
  json = json_generator_to_data (generator, &json_length);

  if (as_json)
    return reel_export_context_write (context, json, json_length, error)
           && reel_export_context_write (context, "\n", 1, error);

  {
    /* GLB: a 12-byte header, the JSON chunk padded with spaces, the BIN chunk with zeros. */
    guint32 json_padded = (json_length + 3) & ~3u;
    guint32 header[3], chunk[2];
    g_autofree char *padded = g_malloc (json_padded);

    memcpy (padded, json, json_length);
    memset (padded + json_length, ' ', json_padded - json_length);

    header[0] = GUINT32_TO_LE (0x46546C67);   /* "glTF" */
    header[1] = GUINT32_TO_LE (2);
    header[2] = GUINT32_TO_LE (12 + 8 + json_padded + (buffer->len > 0 ? 8 + buffer->len : 0));
    if (!reel_export_context_write (context, (const char *) header, sizeof header, error))
      return FALSE;

    chunk[0] = GUINT32_TO_LE (json_padded);
    chunk[1] = GUINT32_TO_LE (0x4E4F534A);    /* "JSON" */
    if (!reel_export_context_write (context, (const char *) chunk, sizeof chunk, error) ||
        !reel_export_context_write (context, padded, json_padded, error))
      return FALSE;

    if (buffer->len > 0)
      {
        chunk[0] = GUINT32_TO_LE (buffer->len);
        chunk[1] = GUINT32_TO_LE (0x004E4942);  /* "BIN\0" */
        if (!reel_export_context_write (context, (const char *) chunk, sizeof chunk, error) ||
            !reel_export_context_write (context, (const char *) buffer->data, buffer->len,
                                        error))
          return FALSE;
      }
  }

  reel_export_context_progress (context, 1);
  return TRUE;
}

const ReelExportFormat reel_export_format_gltf = {
  .id = "gltf",
  .name = N_("glTF Set and Cameras (Blender, Unreal)"),
  .extension = "glb",
  .mime_type = "model/gltf-binary",
  .options = REEL_EXPORT_USES_SCOPE,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = FALSE,
  .write = reel_export_gltf_write,
  .other_extensions = (const char * const[]) { "gltf", NULL },
};
