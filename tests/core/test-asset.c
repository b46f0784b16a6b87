/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "reel-test-project.h"

static GBytes *
encode (int         width,
        int         height,
        const char *format)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, &error, NULL));
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

static void
test_hash (void)
{
  g_autoptr(GBytes) abc = g_bytes_new_static ("abc", 3);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *abc_hash = reel_asset_compute_hash (abc);
  g_autofree char *empty_hash = reel_asset_compute_hash (empty);

  /* FIPS 180-2 test vectors. */
  g_assert_cmpstr (abc_hash, ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (empty_hash, ==,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
check_image (const char *format,
             const char *mime_type,
             const char *extension)
{
  g_autoptr(GBytes) bytes = encode (37, 21, format);
  g_autoptr(GBytes) same = g_bytes_new (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelAsset) asset = reel_asset_new_from_bytes (bytes, &error);
  g_autoptr(ReelAsset) twin = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *expected_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  g_assert_no_error (error);
  g_assert_nonnull (asset);
  g_assert_cmpstr (reel_asset_get_mime_type (asset), ==, mime_type);
  g_assert_cmpstr (reel_asset_get_extension (asset), ==, extension);
  g_assert_cmpint (reel_asset_get_width (asset), ==, 37);
  g_assert_cmpint (reel_asset_get_height (asset), ==, 21);
  g_assert_cmpstr (reel_asset_get_hash (asset), ==, expected_hash);
  g_assert_cmpuint (strlen (reel_asset_get_hash (asset)), ==, 64);
  g_assert_true (g_bytes_equal (reel_asset_get_data (asset), bytes));
  g_assert_false (reel_asset_is_video (asset));
  g_assert_null (reel_asset_get_generation (asset));

  /* Equal bytes give the same identity. */
  twin = reel_asset_new_from_bytes (same, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_asset_get_hash (twin), ==, reel_asset_get_hash (asset));
  g_assert_true (reel_asset_equal (asset, twin));

  pixbuf = reel_asset_create_pixbuf (asset, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 37);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 21);
}

static void
test_png (void)
{
  check_image ("png", REEL_MIME_PNG, "png");
}

static void
test_jpeg (void)
{
  check_image ("jpeg", REEL_MIME_JPEG, "jpg");
}

static void
test_webp (void)
{
  check_image ("webp", REEL_MIME_WEBP, "webp");
}

static void
test_bad_bytes (void)
{
  g_autoptr(GBytes) png = encode (64, 64, "png");
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, world", 12);
  g_autoptr(GBytes) fake_png = NULL;
  GBytes *cases[4];
  guint8 damaged[64];

  /* PNG signature followed by garbage. */
  memcpy (damaged, g_bytes_get_data (png, NULL), 8);
  memset (damaged + 8, 0x5a, sizeof damaged - 8);
  fake_png = g_bytes_new (damaged, sizeof damaged);

  cases[0] = truncated;
  cases[1] = empty;
  cases[2] = text;
  cases[3] = fake_png;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReelAsset) asset = reel_asset_new_from_bytes (cases[i], &error);

      g_assert_null (asset);
      g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_too_large (void)
{
  /* A valid PNG header claiming 20000 × 20000 pixels, as a decompression bomb
   * would: refused without allocating 1.6 GB. */
  g_autoptr(GBytes) small = encode (1, 1, "png");
  gsize len;
  const guint8 *data = g_bytes_get_data (small, &len);
  g_autofree guint8 *huge = g_memdup2 (data, len);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelAsset) asset = NULL;
  guint32 crc;

  /* IHDR starts at byte 8: length, "IHDR", width, height, …, CRC over type + data. */
  huge[16] = 0x00; huge[17] = 0x00; huge[18] = 0x4e; huge[19] = 0x20;
  huge[20] = 0x00; huge[21] = 0x00; huge[22] = 0x4e; huge[23] = 0x20;
  crc = 0xffffffff;
  for (guint i = 12; i < 12 + 4 + 13; i++)
    {
      crc ^= huge[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
  crc ^= 0xffffffff;
  huge[29] = crc >> 24; huge[30] = crc >> 16; huge[31] = crc >> 8; huge[32] = crc;
  bytes = g_bytes_new (huge, len);

  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_null (asset);
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  /* The same with a JPEG frame header. */
  {
    g_autoptr(GBytes) jpeg = encode (8, 8, "jpeg");
    const guint8 *jpeg_data = g_bytes_get_data (jpeg, &len);
    g_autofree guint8 *patched = g_memdup2 (jpeg_data, len);
    g_autoptr(GBytes) patched_bytes = NULL;
    g_autoptr(ReelAsset) jpeg_asset = NULL;
    gboolean found = FALSE;

    for (gsize i = 2; i + 9 < len && !found; i++)
      if (patched[i] == 0xff && (patched[i + 1] == 0xc0 || patched[i + 1] == 0xc2))
        {
          patched[i + 5] = 0x4e; patched[i + 6] = 0x20;   /* height 20000 */
          patched[i + 7] = 0x4e; patched[i + 8] = 0x20;   /* width 20000 */
          found = TRUE;
        }
    g_assert_true (found);

    patched_bytes = g_bytes_new (patched, len);
    jpeg_asset = reel_asset_new_from_bytes (patched_bytes, &error);
    g_assert_null (jpeg_asset);
    g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);
    g_assert_nonnull (strstr (error->message, "too large"));
  }
}

static void
test_video (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\0\0\0\x18" "ftypmp42", 12);
  g_autoptr(ReelAsset) asset = reel_asset_new_video (bytes, REEL_MIME_MP4, 1920, 1080, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_assert_true (reel_asset_is_video (asset));
  g_assert_cmpstr (reel_asset_get_extension (asset), ==, "mp4");
  g_assert_cmpint (reel_asset_get_width (asset), ==, 1920);

  pixbuf = reel_asset_create_pixbuf (asset, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_UNSUPPORTED_TYPE);
}

static void
test_generation_record (void)
{
  g_autoptr(ReelGenerationRecord) record = reel_generation_record_new ();
  g_autoptr(ReelGenerationRecord) copy = NULL;
  g_autoptr(GBytes) png = encode (4, 4, "png");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelAsset) plain = NULL;
  g_autoptr(ReelAsset) generated = NULL;
  g_autoptr(ReelAsset) regenerated = NULL;
  static const char * const inputs[] = { "aa", "bb", NULL };
  GValue value = G_VALUE_INIT;

  g_assert_cmpint (record->seed, ==, -1);
  g_assert_cmpint (record->created_us, >, 0);

  record->provider = g_strdup ("gemini");
  record->model = g_strdup ("gemini-2.5-flash-image");
  record->endpoint_host = g_strdup ("generativelanguage.googleapis.com");
  record->prompt = g_strdup ("EXT. HARBOUR - DAWN, wide shot");
  record->seed = 42;
  record->parameters = g_strdup ("{\"aspectRatio\": \"16:9\"}");
  record->input_hashes = g_strdupv ((char **) inputs);
  record->duration_ms = 5300;
  record->kind = g_strdup (REEL_GENERATION_KIND_ANGLE);
  record->angle_id = g_strdup ("low");

  copy = reel_generation_record_copy (record);
  g_assert_true (reel_generation_record_equal (record, copy));
  g_assert_true (reel_generation_record_equal (NULL, NULL));
  g_assert_false (reel_generation_record_equal (record, NULL));

  /* Every field takes part in equality. */
#define DIFFERS(stmt)                                                    \
  G_STMT_START {                                                         \
    g_autoptr(ReelGenerationRecord) other = reel_generation_record_copy (record); \
    stmt;                                                                \
    g_assert_false (reel_generation_record_equal (record, other));       \
  } G_STMT_END
  DIFFERS (g_free (other->provider); other->provider = g_strdup ("openai"));
  DIFFERS (g_free (other->model); other->model = NULL);
  DIFFERS (g_free (other->endpoint_host); other->endpoint_host = g_strdup ("x"));
  DIFFERS (g_free (other->prompt); other->prompt = g_strdup (""));
  DIFFERS (other->negative_prompt = g_strdup (""));
  DIFFERS (other->seed = -1);
  DIFFERS (g_free (other->parameters); other->parameters = NULL);
  DIFFERS (g_strfreev (other->input_hashes); other->input_hashes = NULL);
  DIFFERS (other->created_us++);
  DIFFERS (other->duration_ms++);
  DIFFERS (g_free (other->kind); other->kind = g_strdup ("background"));
  DIFFERS (g_free (other->angle_id); other->angle_id = g_strdup ("high"));
#undef DIFFERS

  plain = reel_asset_new_from_bytes (png, &error);
  g_assert_no_error (error);
  generated = reel_asset_new_generated (png, record, &error);
  g_assert_no_error (error);
  g_assert_true (reel_asset_get_generation (generated) == record);
  /* Provenance is not part of the identity of the bytes … */
  g_assert_cmpstr (reel_asset_get_hash (plain), ==, reel_asset_get_hash (generated));
  /* … but it is part of the asset. */
  g_assert_false (reel_asset_equal (plain, generated));

  regenerated = reel_asset_copy_with_generation (plain, copy);
  g_assert_true (reel_asset_equal (regenerated, generated));

  g_value_init (&value, REEL_TYPE_GENERATION_RECORD);
  g_object_get_property (G_OBJECT (generated), "generation", &value);
  g_assert_true (g_value_get_boxed (&value) == record);
  g_value_unset (&value);
}

static void
test_project_store (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(GBytes) png = encode (8, 8, "png");
  g_autoptr(GBytes) jpeg = encode (8, 8, "jpeg");
  g_autoptr(ReelAsset) first = reel_asset_new_from_bytes (png, NULL);
  g_autoptr(ReelAsset) again = reel_asset_new_from_bytes (png, NULL);
  g_autoptr(ReelAsset) other = reel_asset_new_from_bytes (jpeg, NULL);
  g_autoptr(GPtrArray) assets = NULL;

  g_assert_true (reel_project_add_asset (project, first) == first);
  /* Same bytes: the stored asset is kept and returned. */
  g_assert_true (reel_project_add_asset (project, again) == first);
  g_assert_true (reel_project_add_asset (project, other) == other);
  g_assert_cmpuint (reel_project_get_n_assets (project), ==, 2);
  g_assert_true (reel_project_lookup_asset (project, reel_asset_get_hash (again)) == first);
  g_assert_null (reel_project_lookup_asset (project, "0000"));
  g_assert_null (reel_project_lookup_asset (project, NULL));

  assets = reel_project_list_assets (project);
  g_assert_cmpuint (assets->len, ==, 2);
  g_assert_true (g_ptr_array_index (assets, 0) == first);
  g_assert_true (g_ptr_array_index (assets, 1) == other);

  g_assert_true (reel_project_remove_asset (project, reel_asset_get_hash (first)));
  g_assert_false (reel_project_remove_asset (project, reel_asset_get_hash (first)));
  g_assert_cmpuint (reel_project_get_n_assets (project), ==, 1);
  /* The array handed out keeps its own references. */
  g_assert_cmpstr (reel_asset_get_mime_type (g_ptr_array_index (assets, 0)), ==, REEL_MIME_PNG);
}

/* A hash read from a file is trusted at open and checked when the image is
 * drawn: damaged bytes are an error naming the image, good ones decode. */
static void
test_stored_hash (void)
{
  g_autoptr(GBytes) png = reel_test_make_png (4, 3, 0x336699ff);
  g_autoptr(ReelAsset) fresh = reel_asset_new_full (png, REEL_MIME_PNG, 4, 3, NULL);
  g_autoptr(ReelAsset) stored = NULL;
  g_autoptr(ReelAsset) damaged = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  const char *wrong = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  stored = reel_asset_new_stored (png, REEL_MIME_PNG, 4, 3, reel_asset_get_hash (fresh), NULL);
  g_assert_cmpstr (reel_asset_get_hash (stored), ==, reel_asset_get_hash (fresh));
  g_assert_true (reel_asset_equal (stored, fresh));
  g_assert_true (reel_asset_check_integrity (stored, &error));
  g_assert_no_error (error);
  pixbuf = reel_asset_create_pixbuf (stored, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 4);

  damaged = reel_asset_new_stored (png, REEL_MIME_PNG, 4, 3, wrong, NULL);
  g_assert_cmpstr (reel_asset_get_hash (damaged), ==, wrong);
  g_clear_object (&pixbuf);
  pixbuf = reel_asset_create_pixbuf (damaged, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);
  g_assert_nonnull (strstr (error->message, "0123456789ab"));
  g_clear_error (&error);
  /* The same answer again, from the remembered check. */
  g_assert_false (reel_asset_check_integrity (damaged, &error));
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/asset/hash", test_hash);
  g_test_add_func ("/asset/png", test_png);
  g_test_add_func ("/asset/jpeg", test_jpeg);
  g_test_add_func ("/asset/webp", test_webp);
  g_test_add_func ("/asset/bad-bytes", test_bad_bytes);
  g_test_add_func ("/asset/too-large", test_too_large);
  g_test_add_func ("/asset/video", test_video);
  g_test_add_func ("/asset/generation-record", test_generation_record);
  g_test_add_func ("/asset/project-store", test_project_store);
  g_test_add_func ("/asset/stored-hash", test_stored_hash);

  return g_test_run ();
}
