/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "storage/reel-project-file.h"
#include "ai-test-util.h"

/* `storyreel generate` as a pipeline runs it: the built program, a project file, keys in
 * the environment, the fake servers; then the file is read back. */

static FakeServer *server;

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  const char *locations[] = { "HARBOUR", "FERRY CABIN" };

  fake_server_reset (server);
  fixture->dir = g_dir_make_tmp ("storyreel-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "demo.storyreel", NULL);

  reel_project_set_title (project, "The Ferry");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();

      reel_scene_set_number (scene, i == 0 ? "1" : "2");
      reel_scene_set_int_ext (scene, i == 0 ? REEL_INT_EXT_EXT : REEL_INT_EXT_INT);
      reel_scene_set_location (scene, locations[i]);
      reel_scene_set_time_of_day (scene, i == 0 ? "DAWN" : "NIGHT");
      reel_project_append_scene (project, scene);
      for (guint j = 0; j < 2; j++)
        {
          g_autoptr(ReelShot) shot = reel_shot_new ();
          g_autofree char *number = g_strdup_printf ("%u%c", i + 1, 'A' + j);

          reel_shot_set_number (shot, number);
          reel_shot_set_description (shot, "Mara waits.");
          reel_scene_append_shot (scene, shot);
        }
    }

  file = g_file_new_for_path (fixture->path);
  reel_project_file_save (project, file, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* The GOOGLE_CLOUD_PROJECT the program sees (NULL: none). */
static const char *cli_cloud_project = "storyreel-test";
/* Without STORYREEL_MODULE_DIR, as when _build/src/storyreel is run by hand. */
static gboolean cli_without_module_dir;

/* Runs `storyreel generate ARGUMENTS` with @key_variable (nullable) set to the fake
 * servers' key, and the fake server trusted as Google's for Veo (in the project its token
 * may use). */
static int
run_cli_with_key (const char * const *arguments,
                  const char         *key_variable,
                  char              **out,
                  char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("STORYREEL_EXE"));
  g_ptr_array_add (argv, "generate");
  for (guint i = 0; arguments[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) arguments[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_unsetenv (launcher, "STORYREEL_OPENAI_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  if (cli_without_module_dir)
    g_subprocess_launcher_unsetenv (launcher, "STORYREEL_MODULE_DIR");
  if (key_variable != NULL)
    g_subprocess_launcher_setenv (launcher, key_variable, AI_TEST_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "STORYREEL_VEO_TEST_ORIGIN", server->base_url, TRUE);
  /* Veo's Google Cloud project, as gcloud users set it: the one the fake's token may use. */
  if (cli_cloud_project != NULL)
    g_subprocess_launcher_setenv (launcher, "GOOGLE_CLOUD_PROJECT", cli_cloud_project, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GOOGLE_CLOUD_PROJECT");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", *err);

  /* Neither stream ever shows the key. */
  ai_test_assert_no_key (*out);
  ai_test_assert_no_key (*err);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static int
run_cli (const char * const *arguments,
         gboolean            with_key,
         char              **out,
         char              **err)
{
  return run_cli_with_key (arguments, with_key ? "STORYREEL_OPENAI_API_KEY" : NULL, out, err);
}

static ReelProject *
load (Fixture *fixture)
{
  g_autoptr(GFile) file = g_file_new_for_path (fixture->path);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_file_load (file, NULL, &error);

  g_assert_no_error (error);
  return project;
}

static void
test_greybox_all_shots (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *arguments[] = { fixture->path, "--provider=greybox", "--variants=2",
                              "--seed=10", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(ReelProject) project = NULL;

  g_assert_cmpint (run_cli (arguments, FALSE, &out, &err), ==, 0);
  g_assert_nonnull (strstr (err, "[1/4]"));
  g_assert_nonnull (strstr (err, "[4/4]"));
  g_assert_nonnull (strstr (err, "8 images made for 4 of 4 shots"));

  project = load (fixture);
  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < 2; j++)
      {
        ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, i), j);
        const char * const *variants = reel_shot_get_variants (shot);
        ReelAsset *asset;

        g_assert_cmpuint (reel_shot_get_n_variants (shot), ==, 2);
        g_assert_cmpuint (reel_shot_get_n_generations (shot), ==, 2);
        /* A shot without a background gets the first new one. */
        g_assert_cmpstr (reel_shot_get_background (shot), ==, variants[0]);
        asset = reel_project_lookup_asset (project, variants[1]);
        g_assert_nonnull (asset);
        g_assert_cmpstr (reel_asset_get_generation (asset)->provider, ==, "greybox");
        g_assert_cmpint (reel_asset_get_generation (asset)->seed, ==, 11);
        g_assert_nonnull (strstr (reel_asset_get_generation (asset)->prompt,
                                  i == 0 ? "Exterior: harbour" : "Interior: ferry cabin"));
      }
}

static void
test_openai_one_scene (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *endpoint = g_strdup_printf ("--endpoint=%s/v1", server->base_url);
  const char *arguments[] = { fixture->path, "--scene", "2", "--provider=openai",
                              endpoint, "--variants=3", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(ReelProject) project = NULL;
  ReelScene *first;
  ReelScene *second;

  g_assert_cmpint (run_cli (arguments, TRUE, &out, &err), ==, 0);

  project = load (fixture);
  first = reel_project_get_scene (project, 0);
  second = reel_project_get_scene (project, 1);
  g_assert_cmpuint (reel_shot_get_n_variants (reel_scene_get_shot (first, 0)), ==, 0);
  for (guint j = 0; j < 2; j++)
    {
      ReelShot *shot = reel_scene_get_shot (second, j);
      ReelAsset *asset;

      g_assert_cmpuint (reel_shot_get_n_variants (shot), ==, 3);
      asset = reel_project_lookup_asset (project, reel_shot_get_variants (shot)[0]);
      g_assert_cmpstr (reel_asset_get_generation (asset)->provider, ==, "openai");
      g_assert_cmpstr (reel_asset_get_generation (asset)->endpoint_host, !=, NULL);
      ai_test_assert_no_key (reel_asset_get_generation (asset)->parameters);
    }
  /* What OpenAI reported, added up over the two calls (once per call, not per image). */
  g_assert_nonnull (strstr (err, "Usage reported by OpenAI: "));
  g_assert_nonnull (strstr (err, "total_tokens 200"));
  g_assert_nonnull (strstr (err, " input_tokens 100"));
  g_assert_nonnull (strstr (err, "output_tokens 100"));
  g_assert_nonnull (strstr (err, "input_tokens_details.image_tokens 80"));

  /* One call per shot, n=3 each. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (fake_server_log (server)), "requests")), ==, 2);
}

/* libcurl is a module (storyreel-curl.so) that the program finds beside itself when
 * STORYREEL_MODULE_DIR is not set, as when _build/src/storyreel is run by hand. */
static void
test_modules_beside_program (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *endpoint = g_strdup_printf ("--endpoint=%s/v1", server->base_url);
  const char *arguments[] = { fixture->path, "--scene", "2", "--provider=openai",
                              endpoint, "--variants=1", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(ReelProject) project = NULL;
  ReelScene *second;
  int status;

  cli_without_module_dir = TRUE;
  status = run_cli (arguments, TRUE, &out, &err);
  cli_without_module_dir = FALSE;

  g_assert_null (strstr (err, "storyreel-curl"));
  g_assert_cmpint (status, ==, 0);
  project = load (fixture);
  second = reel_project_get_scene (project, 1);
  g_assert_cmpuint (reel_shot_get_n_variants (reel_scene_get_shot (second, 0)), ==, 1);
}

/* A service that sends the same bytes twice: the shot gains one variant, and the command
 * says so rather than counting two. */
static void
test_same_images_counted_once (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *endpoint = g_strdup_printf ("--endpoint=%s/v1", server->base_url);
  const char *arguments[] = { fixture->path, "--scene", "2", "--provider=openai",
                              endpoint, "--variants=2", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(ReelProject) project = NULL;
  ReelScene *second;

  fake_server_config (server, "{\"same_picture\":true}");
  g_assert_cmpint (run_cli (arguments, TRUE, &out, &err), ==, 0);

  project = load (fixture);
  second = reel_project_get_scene (project, 1);
  for (guint j = 0; j < 2; j++)
    g_assert_cmpuint (reel_shot_get_n_variants (reel_scene_get_shot (second, j)), ==, 1);

  g_assert_null (strstr (err, "2 images kept"));
  g_assert_nonnull (strstr (err, "  1 image kept ("));
  g_assert_nonnull (strstr (err, "  1 had the same bytes as another variant of the shot and was "
                                 "not added again\n"));
  g_assert_nonnull (strstr (err, "2 images made for 2 of 2 shots"));
}

static void
test_one_shot_angle (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *arguments[] = { fixture->path, "--shot", "2B", "--provider=greybox",
                              "--kind=angle", "--angle=low", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(ReelProject) project = NULL;
  ReelShot *shot;
  ReelAsset *asset;

  g_assert_cmpint (run_cli (arguments, FALSE, &out, &err), ==, 0);
  project = load (fixture);
  shot = reel_scene_get_shot (reel_project_get_scene (project, 1), 1);
  g_assert_cmpuint (reel_shot_get_n_variants (shot), ==, 1);
  asset = reel_project_lookup_asset (project, reel_shot_get_variants (shot)[0]);
  g_assert_cmpstr (reel_asset_get_generation (asset)->kind, ==, "angle");
  g_assert_cmpstr (reel_asset_get_generation (asset)->angle_id, ==, "low");
  g_assert_cmpuint (reel_project_get_n_assets (project), ==, 1);
}

static void
test_missing_key (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *arguments[] = { fixture->path, "--provider=openai", "--endpoint=http://127.0.0.1:1/v1",
                              NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_size = 0;
  gsize after_size = 0;

  g_file_get_contents (fixture->path, &before, &before_size, NULL);
  g_assert_cmpint (run_cli (arguments, FALSE, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "STORYREEL_OPENAI_API_KEY"));
  /* The file is untouched. */
  g_file_get_contents (fixture->path, &after, &after_size, NULL);
  g_assert_cmpmem (before, before_size, after, after_size);
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *no_provider[] = { fixture->path, NULL };
  const char *unknown[] = { fixture->path, "--provider=dalle", NULL };
  const char *variants[] = { fixture->path, "--provider=greybox", "--variants=0", NULL };
  const char *angle[] = { fixture->path, "--provider=greybox", "--kind=angle", NULL };
  const char *scene[] = { fixture->path, "--provider=greybox", "--scene=9", NULL };
  const char *missing[] = { "/nonexistent/x.storyreel", "--provider=greybox", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

#define RUN(args, status) \
  G_STMT_START { \
    g_clear_pointer (&out, g_free); \
    g_clear_pointer (&err, g_free); \
    g_assert_cmpint (run_cli (args, FALSE, &out, &err), ==, status); \
    g_assert_nonnull (strstr (err, "storyreel: ")); \
  } G_STMT_END

  RUN (no_provider, 2);
  RUN (unknown, 2);
  g_assert_nonnull (strstr (err, "dalle"));
  RUN (variants, 2);
  RUN (angle, 2);
  RUN (scene, 3);
  RUN (missing, 3);
#undef RUN
}

/* Veo on the command line: its models come from the table (Google Cloud has none to list),
 * and without a Google Cloud project nothing is sent and the project is kept as it was. */
static void
test_veo (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *endpoint = g_strdup_printf ("--endpoint=%s", server->base_url);
  const char *list[] = { "--list-models", "--provider=veo", endpoint, NULL };
  const char *generate[] = { fixture->path, "--shot", "2A", "--provider=veo", endpoint,
                             "--kind=video", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  g_autoptr(ReelProject) project = NULL;

  fake_server_reset (server);
  g_assert_cmpint (run_cli_with_key (list, "STORYREEL_VEO_API_KEY", &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "veo-3.1-fast-generate-001\nveo-3.1-generate-001 (chosen)\n"
                            "veo-3.1-lite-generate-001\n");

  cli_cloud_project = NULL;
  g_assert_cmpint (run_cli_with_key (generate, "STORYREEL_VEO_API_KEY", &out2, &err2), ==, 1);
  cli_cloud_project = "storyreel-test";
  g_assert_nonnull (strstr (err2, "GOOGLE_CLOUD_PROJECT"));
  g_assert_nonnull (strstr (err2, "Google Veo"));
  g_assert_cmpuint (fake_server_connections (server), ==, 0);
  project = load (fixture);
  g_assert_cmpuint (reel_shot_get_n_variants (reel_scene_get_shot (reel_project_get_scene (project,
                                                                                         1),
                                                                  0)), ==, 0);
}

static void
test_list_models (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *endpoint = g_strdup_printf ("--endpoint=%s/v1", server->base_url);
  const char *arguments[] = { "--list-models", "--provider=openai", endpoint, NULL };
  const char *retired[] = { "--list-models", "--provider=openai", endpoint,
                            "--model=gpt-image-1", NULL };
  const char *generate_retired[] = { fixture->path, "--shot", "1A", "--provider=openai",
                                     endpoint, "--model=gpt-image-1", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *out3 = NULL;
  g_autofree char *err3 = NULL;

  /* No project needed: the service's image models, one a line, the chosen one marked. */
  g_assert_cmpint (run_cli (arguments, TRUE, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "gpt-image-2 (chosen)\ngpt-image-2.5-flare\n"
                            "gpt-image-2.5-sunburst\ngpt-image-2.6-flare\n"
                            "gpt-image-2.6-sunburst\n");

  /* A retired model is named as not on offer. */
  g_assert_cmpint (run_cli (retired, TRUE, &out2, &err2), ==, 0);
  g_assert_null (strstr (out2, "gpt-image-1"));
  g_assert_nonnull (strstr (err2, "gpt-image-1"));

  /* Generating with it says which models there are, and keeps the project as it was. */
  g_assert_cmpint (run_cli (generate_retired, TRUE, &out3, &err3), ==, 1);
  g_assert_nonnull (strstr (err3, "“gpt-image-1”"));
  g_assert_nonnull (strstr (err3, "gpt-image-2.6-flare"));
}

/* `storyreel generate --provider=ID` for each service, against its fake server. */
static void
test_provider (Fixture       *fixture,
               gconstpointer  data)
{
  const AiTestService *test_case = data;
  guint variants_wanted = test_case->video ? 1 : 2;
  g_autofree char *provider = g_strdup_printf ("--provider=%s", test_case->id);
  g_autofree char *endpoint = g_strdup_printf ("--endpoint=%s%s", server->base_url,
                                               test_case->endpoint_path);
  g_autofree char *kind = g_strdup_printf ("--kind=%s", test_case->video ? "video"
                                                                          : "background");
  g_autofree char *variants = g_strdup_printf ("--variants=%u", variants_wanted);
  const char *arguments[] = { fixture->path, "--shot", "2A", provider, endpoint, kind, variants,
                              NULL };
  g_autofree char *key_variable = g_ascii_strup (test_case->id, -1);
  g_autofree char *key = g_strdup_printf ("STORYREEL_%s_API_KEY", key_variable);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *made = NULL;
  g_autoptr(ReelProject) project = NULL;
  ReelShot *shot;

  fake_server_config (server, "{\"veo_polls\":0,\"wan_polls\":0}");
  g_assert_cmpint (run_cli_with_key (arguments, key, &out, &err), ==, 0);
  made = g_strdup_printf (test_case->video ? "%u clip%s made for 1 of 1 shot"
                                           : "%u image%s made for 1 of 1 shot",
                          variants_wanted, variants_wanted == 1 ? "" : "s");
  g_assert_nonnull (strstr (err, made));

  project = load (fixture);
  shot = reel_scene_get_shot (reel_project_get_scene (project, 1), 0);
  g_assert_cmpuint (reel_shot_get_n_variants (shot), ==, variants_wanted);
  for (guint i = 0; i < variants_wanted; i++)
    {
      ReelAsset *asset = reel_project_lookup_asset (project, reel_shot_get_variants (shot)[i]);

      g_assert_cmpstr (reel_asset_get_generation (asset)->provider, ==, test_case->id);
      g_assert_true (reel_asset_is_video (asset) == test_case->video);
      g_assert_nonnull (strstr (reel_asset_get_generation (asset)->prompt, "ferry cabin"));
    }
  /* The other shots are as they were. */
  g_assert_cmpuint (reel_shot_get_n_variants (reel_scene_get_shot (reel_project_get_scene (project,
                                                                                         0),
                                                                  0)), ==, 0);

  g_assert_cmpuint (fake_server_count_requests (server, test_case->request_path), >=, 1);
}

/* Waits (checking the fake server's log) until it has received @n prompts. */
static void
wait_for_prompts (guint n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(JsonNode) log = fake_server_log (server);
      JsonArray *requests = json_object_get_array_member (json_node_get_object (log),
                                                          "requests");
      guint prompts = 0;

      for (guint i = 0; i < json_array_get_length (requests); i++)
        if (g_str_equal (json_object_get_string_member (json_array_get_object_element (requests,
                                                                                      i),
                                                        "path"), "/prompt"))
          prompts++;
      if (prompts >= n)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

static void
test_interrupted (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *endpoint = g_strdup_printf ("--endpoint=%s", server->base_url);
  const char *argv[] = { g_getenv ("STORYREEL_EXE"), "generate", fixture->path,
                         "--provider=comfyui", endpoint, NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint done = 0;

  /* Each shot takes 0.6 s on the server; stop once the second is on the server (the first
   * is then done and saved). */
  fake_server_config (server, "{\"comfy_duration\":0.6}");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  wait_for_prompts (2);
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "Interrupted"));

  /* The file opens, and the shots finished before the interruption are in it. */
  project = load (fixture);
  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < 2; j++)
      if (reel_shot_get_n_variants (reel_scene_get_shot (reel_project_get_scene (project, i),
                                                         j)) == 1)
        done++;
  g_assert_cmpuint (done, >=, 1);
  g_assert_cmpuint (done, <, 4);

  /* The prompt it was rendering was stopped on the server, by name, before it exited. */
  {
    g_autoptr(JsonNode) log = fake_server_log (server);
    JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");
    const char *last_prompt = NULL;
    const char *interrupted = NULL;

    for (guint i = 0; i < json_array_get_length (requests); i++)
      {
        JsonObject *request = json_array_get_object_element (requests, i);
        const char *path = json_object_get_string_member (request, "path");

        if (g_str_equal (path, "/prompt"))
          last_prompt = json_object_get_string_member (
            json_object_get_object_member (request, "json"), "prompt_id");
        else if (g_str_equal (path, "/interrupt"))
          interrupted = json_object_get_string_member (
            json_object_get_object_member (request, "json"), "prompt_id");
      }
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (log), "interrupts"), ==,
                     1);
    g_assert_nonnull (last_prompt);
    g_assert_cmpstr (interrupted, ==, last_prompt);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = fake_server_start (NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli-generate/greybox-all-shots", test_greybox_all_shots);
  ADD ("/cli-generate/openai-one-scene", test_openai_one_scene);
  ADD ("/cli-generate/same-images-counted-once", test_same_images_counted_once);
  ADD ("/cli-generate/one-shot-angle", test_one_shot_angle);
  ADD ("/cli-generate/missing-key", test_missing_key);
  ADD ("/cli-generate/usage-errors", test_usage_errors);
  ADD ("/cli-generate/interrupted", test_interrupted);
  ADD ("/cli-generate/list-models", test_list_models);
  ADD ("/cli-generate/veo", test_veo);
  ADD ("/cli-generate/modules-beside-program", test_modules_beside_program);
  for (guint i = 0; i < ai_test_n_services; i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-generate/provider/%s",
                                               ai_test_services[i].id);

      g_test_add (path, Fixture, &ai_test_services[i], fixture_set_up, test_provider,
                  fixture_tear_down);
    }

  status = g_test_run ();
  g_clear_pointer (&server, fake_server_stop);
  return status;
}
