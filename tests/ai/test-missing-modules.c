/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-http.h"
#include "ai/reel-keys.h"
#include "core/reel-core-error.h"
#include "core/reel-module.h"
#include "media/reel-media-error.h"
#include "media/reel-media.h"
#include "ai-test-util.h"

/* libcurl, libsecret and GES are modules loaded on first use (core/reel-module.h). Here
 * they cannot be found (STORYREEL_MODULE_DIR names an empty folder, as on a broken
 * install): each use fails with an error that names the service or task and the missing
 * file, and nothing crashes. The same programs with the modules present are the rest of
 * the ai, media and export suites. */

static char *empty_dir;

static void
test_loader_names_what_is_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = g_build_filename (empty_dir, "storyreel-broken.so", NULL);
  g_autofree char *path = reel_module_dup_path ("curl");

  g_assert_null (path);
  g_assert_null (reel_module_load ("curl", 8, &error));
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_MISSING_MODULE);
  g_assert_nonnull (strstr (error->message, "storyreel-curl.so"));
  g_assert_nonnull (strstr (error->message, empty_dir));
  g_clear_error (&error);

  /* A file that is not a library. */
  g_assert_true (g_file_set_contents (broken, "not a library", -1, NULL));
  g_assert_null (reel_module_load ("broken", 8, &error));
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_MISSING_MODULE);
  g_assert_nonnull (strstr (error->message, broken));
  g_unlink (broken);
}

static void
test_http_without_curl (void)
{
  g_autoptr(ReelHttpClient) client = reel_http_client_new ();
  g_autoptr(ReelHttpRequest) request = reel_http_request_new ("GET",
                                                              "http://127.0.0.1:9/models");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  reel_http_request_set_service (request, "ComfyUI", NULL);
  reel_http_client_send_async (client, request, NULL, ai_test_store_result, &result);
  ai_test_wait_result (&result, 60000);
  response = reel_http_client_send_finish (client, result, &error);

  g_assert_null (response);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "ComfyUI (127.0.0.1)"));
  g_assert_nonnull (strstr (error->message, "storyreel-curl.so"));
}

static void
test_keys_without_libsecret (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  reel_keys_lookup_async ("openai", NULL, ai_test_store_result, &result);
  ai_test_wait_result (&result, 60000);
  key = reel_keys_lookup_finish (result, &error);
  g_assert_null (key);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "storyreel-secret.so"));
  /* What to do instead. */
  g_assert_nonnull (strstr (error->message, "STORYREEL_OPENAI_API_KEY"));
  g_clear_error (&error);
  g_clear_object (&result);

  reel_keys_store_async ("openai", "OpenAI", AI_TEST_KEY, NULL,
                         ai_test_store_result, &result);
  ai_test_wait_result (&result, 60000);
  g_assert_false (reel_keys_store_finish (result, &error));
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "storyreel-secret.so"));
  ai_test_assert_no_key (error->message);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Cancelled, it says so rather than blaming the keyring. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    reel_keys_lookup_async ("openai", cancellable, ai_test_store_result, &result);
    ai_test_wait_result (&result, 60000);
    key = reel_keys_lookup_finish (result, &error);
    g_assert_null (key);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  /* The environment still works without the keyring. */
  g_setenv ("STORYREEL_OPENAI_API_KEY", "sk-from-the-environment", TRUE);
  reel_keys_lookup_async ("openai", NULL, ai_test_store_result, &result);
  ai_test_wait_result (&result, 60000);
  key = reel_keys_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-from-the-environment");
  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
}

static void
test_animatic_without_ges (void)
{
  g_autoptr(GError) error = NULL;

  /* GStreamer itself is linked and starts; only the animatic's GES is missing. */
  g_assert_true (reel_media_init (NULL));
  g_assert_false (reel_media_init_editing (&error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT);
  g_assert_nonnull (strstr (error->message, "GStreamer Editing Services"));
  g_assert_nonnull (strstr (error->message, "storyreel-ges.so"));
  g_clear_error (&error);

  /* Asked again, the same answer rather than a crash. */
  g_assert_false (reel_media_init_editing (&error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  empty_dir = g_dir_make_tmp ("storyreel-no-modules-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("STORYREEL_MODULE_DIR", empty_dir, TRUE);

  g_test_add_func ("/missing-modules/loader", test_loader_names_what_is_missing);
  g_test_add_func ("/missing-modules/http", test_http_without_curl);
  g_test_add_func ("/missing-modules/keys", test_keys_without_libsecret);
  g_test_add_func ("/missing-modules/animatic", test_animatic_without_ges);
  status = g_test_run ();

  g_rmdir (empty_dir);
  g_free (empty_dir);
  return status;
}
