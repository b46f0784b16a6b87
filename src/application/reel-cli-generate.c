/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-cli-generate"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-comfyui.h"
#include "ai/reel-keys.h"
#include "ai/reel-prompt.h"
#include "ai/reel-provider.h"
#include "ai/reel-usage.h"
#include "storage/reel-project-file.h"

#include "reel-cli-private.h"

/*
 * storyreel generate FILE [--scene N] [--shot ID] --provider=ID [--endpoint=URL]
 *                         [--model=NAME] [--variants=N] [--kind=KIND] [--angle=ANGLE]
 *                         [--seed=N] [--local-only]
 * storyreel generate --list-models --provider=ID [--endpoint=URL]
 *
 * Generates background variants (or camera angles, or clips) for every shot of the
 * project, of one scene or of one shot, and keeps them with each shot. A shot without a
 * background gets the first new variant as its background. Keys come from the environment
 * (STORYREEL_<PROVIDER>_API_KEY). Progress goes to stderr. The project is saved after each
 * shot, so an interruption (Ctrl+C) loses at most the shot being made; a save is one
 * transaction, so the file is never half written.
 */

typedef struct
{
  GMainLoop *loop;
  GCancellable *cancellable;
  ReelProject *project;
  GFile *file;
  ReelProvider *provider;
  GPtrArray *shots;
  guint current;
  guint variants;
  ReelGenerationKind kind;
  char *angle;
  gint64 seed;
  guint failed;
  guint made;
  gboolean stop;
  int status;
  gint64 shot_started;
  ReelUsageTotals *usage;    /* what the services reported */
} Run;

static void next_shot (Run *run);

static void
print_usage (Run *run)
{
  g_autofree char *text = reel_usage_totals_format (run->usage);

  if (text != NULL)
    g_printerr ("%s\n", text);
}

typedef struct
{
  GMainLoop *loop;
  GStrv models;
  GError *error;
} ListRun;

static void
on_models_listed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ListRun *list = user_data;

  list->models = reel_provider_list_models_finish (REEL_PROVIDER (object), result,
                                                   &list->error);
  g_main_loop_quit (list->loop);
}

/* Prints the models the service offers, one per line, the configured one marked. */
static int
list_models (ReelProvider *provider)
{
  ListRun list = { 0 };
  int status = REEL_CLI_EXIT_OK;

  list.loop = g_main_loop_new (NULL, FALSE);
  reel_provider_list_models_async (provider, NULL, on_models_listed, &list);
  g_main_loop_run (list.loop);
  g_main_loop_unref (list.loop);

  if (list.error != NULL)
    {
      reel_cli_print_error ("%s", list.error->message);
      g_error_free (list.error);
      return REEL_CLI_EXIT_FAILURE;
    }

  for (guint i = 0; list.models[i] != NULL; i++)
    g_print ("%s%s\n", list.models[i],
             g_strcmp0 (list.models[i], reel_provider_get_model (provider)) == 0
               ? _(" (chosen)") : "");
  if (list.models[0] == NULL)
    {
      reel_cli_print_error (_("%s offers no model Storyreel can use with this key."),
                            reel_provider_get_display_name (provider));
      status = REEL_CLI_EXIT_FAILURE;
    }
  else if (!g_strv_contains ((const char * const *) list.models,
                             reel_provider_get_model (provider)))
    {
      reel_cli_print_error (_("The chosen model “%s” is not among them. Choose one in "
                              "Preferences → %s, or with --model."),
                            reel_provider_get_model (provider),
                            reel_provider_get_display_name (provider));
    }

  g_strfreev (list.models);
  return status;
}

static char *
shot_label (ReelShot *shot)
{
  ReelScene *scene = reel_shot_get_scene (shot);
  const char *number = reel_shot_get_number (shot);

  if (scene != NULL && reel_scene_get_number (scene)[0] != '\0')
    /* Translators: "scene 12, shot 12A" */
    return g_strdup_printf (_("scene %s, shot %s"), reel_scene_get_number (scene),
                            number[0] != '\0' ? number : "?");
  return g_strdup_printf (_("shot %s"), number[0] != '\0' ? number : reel_shot_get_id (shot));
}

/* Errors that the next shot would hit too: stop instead of repeating them. */
static gboolean
error_is_fatal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_KEY)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_QUOTA)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_LOCAL)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED);
}

static void
on_progress (double      fraction,
             const char *status,
             gpointer    user_data)
{
  if (status == NULL)
    return;

  if (fraction >= 0)
    g_printerr ("  %s (%.0f %%)\n", status, fraction * 100);
  else
    g_printerr ("  %s\n", status);
}

static void
on_generated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  ReelShot *shot = g_ptr_array_index (run->shots, run->current);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = shot_label (shot);

  assets = reel_generator_generate_finish (REEL_GENERATOR (object), result, &error);
  if (assets == NULL)
    {
      run->failed++;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        reel_cli_print_error (_("Interrupted during %s; the shots before it are saved."), label);
      else
        reel_cli_print_error ("%s: %s", label, error->message);

      if (error_is_fatal (error))
        {
          run->stop = TRUE;
          run->status = REEL_CLI_EXIT_FAILURE;
        }
    }
  else
    {
      g_autoptr(GError) save_error = NULL;
      double seconds = (g_get_monotonic_time () - run->shot_started) / (double) G_USEC_PER_SEC;
      guint kept = reel_generation_keep (run->project, shot, assets);

      run->made += kept;
      reel_usage_totals_add_assets (run->usage, assets);

      /* Saved after every shot: an interruption loses at most the shot being made. */
      if (!reel_project_file_save (run->project, run->file, NULL, &save_error))
        {
          reel_cli_print_error ("%s", save_error->message);
          run->stop = TRUE;
          run->status = REEL_CLI_EXIT_FAILURE;
        }
      else
        {
          if (run->kind == REEL_GENERATION_VIDEO)
            g_printerr (g_dngettext (GETTEXT_PACKAGE, "  %u clip kept (%.1f s)\n",
                                     "  %u clips kept (%.1f s)\n", kept),
                        kept, seconds);
          else
            g_printerr (g_dngettext (GETTEXT_PACKAGE, "  %u image kept (%.1f s)\n",
                                     "  %u images kept (%.1f s)\n", kept),
                        kept, seconds);
          /* What the service sent twice, or what the shot had already, is kept once. */
          if (kept < assets->len)
            g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                     "  %u had the same bytes as another variant of the shot "
                                     "and was not added again\n",
                                     "  %u had the same bytes as other variants of the shot "
                                     "and were not added again\n", assets->len - kept),
                        assets->len - kept);
        }
    }

  run->current++;
  next_shot (run);
}

static void
next_shot (Run *run)
{
  g_autoptr(ReelGenerationRequest) request = NULL;
  g_autofree char *label = NULL;
  ReelShot *shot;

  if (run->stop || run->current >= run->shots->len
      || g_cancellable_is_cancelled (run->cancellable))
    {
      g_main_loop_quit (run->loop);
      return;
    }

  shot = g_ptr_array_index (run->shots, run->current);
  label = shot_label (shot);
  /* Translators: "[2/12] scene 4, shot 4B: Gray-box, 3 variants" */
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "[%u/%u] %s: %s, %u variant\n",
                           "[%u/%u] %s: %s, %u variants\n", run->variants),
              run->current + 1, run->shots->len, label,
              reel_provider_get_display_name (run->provider), run->variants);

  request = reel_prompt_new_request (run->project, shot, run->kind, run->angle, NULL,
                                     run->variants);
  /* --seed=N is the first seed; without it the request's own (the one seed rule). */
  if (run->seed >= 0)
    request->seed = run->seed;
  run->shot_started = g_get_monotonic_time ();
  reel_generator_generate_async (REEL_GENERATOR (run->provider), request, on_progress, run,
                                 run->cancellable, on_generated, run);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Run *run = user_data;

  g_printerr ("%s\n", _("Stopping…"));
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static ReelScene *
find_scene (ReelProject *project,
            const char  *wanted)
{
  guint n_scenes = reel_project_get_n_scenes (project);
  char *end = NULL;
  guint64 position;

  for (guint i = 0; i < n_scenes; i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      if (g_ascii_strcasecmp (reel_scene_get_number (scene), wanted) == 0
          || g_str_equal (reel_scene_get_id (scene), wanted))
        return scene;
    }

  /* A scene without a number is found by its position, 1 being the first. */
  position = g_ascii_strtoull (wanted, &end, 10);
  if (end != wanted && *end == '\0' && position >= 1 && position <= n_scenes)
    return reel_project_get_scene (project, (guint) position - 1);

  return NULL;
}

static ReelShot *
find_shot (ReelProject *project,
           ReelScene   *scene,
           const char  *wanted)
{
  ReelShot *shot = reel_project_find_shot (project, wanted, NULL, NULL);

  if (shot != NULL)
    return shot;

  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *candidate = reel_project_get_scene (project, i);

      if (scene != NULL && candidate != scene)
        continue;
      for (guint j = 0; j < reel_scene_get_n_shots (candidate); j++)
        if (g_ascii_strcasecmp (reel_shot_get_number (reel_scene_get_shot (candidate, j)),
                                wanted) == 0)
          return reel_scene_get_shot (candidate, j);
    }

  return NULL;
}

static gboolean
parse_kind (const char         *text,
            ReelGenerationKind *kind)
{
  if (text == NULL || g_str_equal (text, "background"))
    *kind = REEL_GENERATION_BACKGROUND;
  else if (g_str_equal (text, "angle"))
    *kind = REEL_GENERATION_ANGLE;
  else if (g_str_equal (text, "video"))
    *kind = REEL_GENERATION_VIDEO;
  else
    return FALSE;
  return TRUE;
}

static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* On a server the schema may not be installed: then the defaults apply. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APPLICATION_ID, TRUE);
  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

int
reel_cli_generate (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) files = NULL;
  g_autofree char *scene_arg = NULL;
  g_autofree char *shot_arg = NULL;
  g_autofree char *provider_id = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *description = NULL;
  g_autofree char *model = NULL;
  g_autofree char *kind_arg = NULL;
  g_autofree char *angle = NULL;
  g_autofree char *key = NULL;
  gint variants = 1;
  gint64 seed = -1;
  gboolean local_only = FALSE;
  gboolean want_models = FALSE;
  const GOptionEntry entries[] = {
    { "scene", 0, 0, G_OPTION_ARG_STRING, &scene_arg,
      N_("Only the shots of the scene numbered N (or the N-th scene)"), N_("N") },
    { "shot", 0, 0, G_OPTION_ARG_STRING, &shot_arg,
      N_("Only the shot with this number (such as 12A) or id"), N_("ID") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_id,
      N_("greybox, comfyui, gemini, openai, seedream, wan or veo"), N_("ID") },
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &endpoint,
      N_("The provider’s base URL (a ComfyUI server, an OpenAI-compatible server …)"),
      N_("URL") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("The model to ask for"), N_("NAME") },
    { "variants", 0, 0, G_OPTION_ARG_INT, &variants, N_("Images per shot (1–8)"), N_("N") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_arg,
      N_("background (the default), angle or video"), N_("KIND") },
    { "angle", 0, 0, G_OPTION_ARG_STRING, &angle,
      N_("For --kind=angle: low, high, birds_eye, worms_eye, dutch, ots, reverse, wider or "
         "tighter"), N_("ANGLE") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("The first seed, for providers that take one"),
      N_("N") },
    { "local-only", 0, 0, G_OPTION_ARG_NONE, &local_only,
      N_("Refuse a provider that is not on this computer or the local network"), NULL },
    { "list-models", 0, 0, G_OPTION_ARG_NONE, &want_models,
      N_("List the models the provider’s service offers, and stop"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL },
  };
  Run run = { 0 };
  ReelScene *scene = NULL;
  guint interrupt_id;
  guint terminate_id;

  option_context = g_option_context_new (_("— generate backgrounds for the shots of a "
                                           "project"));
  g_option_context_set_translation_domain (option_context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  description = g_strconcat (_("Keys come from the environment: "
                                "STORYREEL_GEMINI_API_KEY, STORYREEL_OPENAI_API_KEY, "
                                "STORYREEL_SEEDREAM_API_KEY, STORYREEL_WAN_API_KEY, STORYREEL_VEO_API_KEY, "
                                "STORYREEL_COMFYUI_API_KEY.\n"
                                "A shot without a background gets the first new "
                                "variant. The project is saved after each shot."),
                             "\n",
                             _("Google Veo runs on Google Cloud: STORYREEL_VEO_API_KEY holds an "
                               "access token (gcloud auth print-access-token), and the "
                               "project is the one set in Preferences or GOOGLE_CLOUD_PROJECT."),
                             NULL);
  g_option_context_set_description (option_context, description);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_USAGE;
    }

  if (!want_models && (files == NULL || files[0] == NULL || files[1] != NULL))
    {
      reel_cli_print_error (_("Name one project: storyreel generate FILE --provider=ID"));
      return REEL_CLI_EXIT_USAGE;
    }
  if (provider_id == NULL)
    {
      reel_cli_print_error (_("Choose a provider with --provider: greybox, comfyui, gemini, "
                              "openai, seedream, wan or veo."));
      return REEL_CLI_EXIT_USAGE;
    }
  if (variants < 1 || variants > 8)
    {
      reel_cli_print_error (_("--variants must be between 1 and 8."));
      return REEL_CLI_EXIT_USAGE;
    }
  if (!parse_kind (kind_arg, &run.kind))
    {
      reel_cli_print_error (_("--kind must be background, angle or video."));
      return REEL_CLI_EXIT_USAGE;
    }
  if (run.kind == REEL_GENERATION_ANGLE && reel_prompt_lookup_angle_variant (angle) == NULL)
    {
      reel_cli_print_error (_("--kind=angle needs --angle: low, high, birds_eye, worms_eye, "
                              "dutch, ots, reverse, wider or tighter."));
      return REEL_CLI_EXIT_USAGE;
    }

  run.provider = reel_provider_new_for_id (provider_id, &error);
  if (run.provider == NULL)
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_USAGE;
    }

  settings = lookup_settings ();
  if (settings != NULL)
    reel_provider_apply_settings (run.provider, settings);
  if (endpoint != NULL)
    reel_provider_set_endpoint (run.provider, endpoint);
  if (model != NULL)
    reel_provider_set_model (run.provider, model);
  if (local_only)
    reel_provider_set_local_only (run.provider, TRUE);

  /* Headless: the key comes from the environment, never from a prompt or the keyring. */
  key = reel_keys_lookup_env (provider_id);
  if (key == NULL
      && (reel_generator_get_capabilities (REEL_GENERATOR (run.provider))
          & REEL_GENERATOR_NEEDS_KEY) != 0)
    {
      g_autoptr(GError) no_key = reel_provider_no_key_error (run.provider);

      reel_cli_print_error ("%s", no_key->message);
      g_clear_object (&run.provider);
      return REEL_CLI_EXIT_FAILURE;
    }
  /* Never the keyring: on a desktop it could open an unlock prompt in the middle of a batch. */
  reel_provider_set_api_key (run.provider, key);
  reel_provider_set_keyring_enabled (run.provider, FALSE);

  if (want_models)
    {
      int status = list_models (run.provider);

      g_clear_object (&run.provider);
      return status;
    }

  run.file = g_file_new_for_commandline_arg (files[0]);
  run.project = reel_project_file_load (run.file, NULL, &error);
  if (run.project == NULL)
    {
      reel_cli_print_error ("%s", error->message);
      g_clear_object (&run.file);
      g_clear_object (&run.provider);
      return REEL_CLI_EXIT_INPUT;
    }

  run.shots = g_ptr_array_new ();
  if (scene_arg != NULL)
    {
      scene = find_scene (run.project, scene_arg);
      if (scene == NULL)
        {
          reel_cli_print_error (_("The project has no scene %s."), scene_arg);
          run.status = REEL_CLI_EXIT_INPUT;
          goto out;
        }
    }
  if (shot_arg != NULL)
    {
      ReelShot *shot = find_shot (run.project, scene, shot_arg);

      if (shot == NULL)
        {
          reel_cli_print_error (_("The project has no shot %s."), shot_arg);
          run.status = REEL_CLI_EXIT_INPUT;
          goto out;
        }
      g_ptr_array_add (run.shots, shot);
    }
  else
    {
      for (guint i = 0; i < reel_project_get_n_scenes (run.project); i++)
        {
          ReelScene *candidate = reel_project_get_scene (run.project, i);

          if (scene != NULL && candidate != scene)
            continue;
          for (guint j = 0; j < reel_scene_get_n_shots (candidate); j++)
            g_ptr_array_add (run.shots, reel_scene_get_shot (candidate, j));
        }
    }

  if (run.shots->len == 0)
    {
      reel_cli_print_error (_("There are no shots to generate for."));
      run.status = REEL_CLI_EXIT_INPUT;
      goto out;
    }

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.variants = (guint) variants;
  run.angle = g_strdup (angle);
  run.seed = seed;
  run.status = REEL_CLI_EXIT_OK;
  run.usage = reel_usage_totals_new ();

  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt, &run);
  terminate_id = g_unix_signal_add (SIGTERM, on_interrupt, &run);
  next_shot (&run);
  g_main_loop_run (run.loop);
  g_source_remove (interrupt_id);
  g_source_remove (terminate_id);
  /* An interrupted render would keep a shared GPU busy: the servers hear of it before the
   * program ends. */
  reel_comfyui_flush_cancels (5000);

  if (g_cancellable_is_cancelled (run.cancellable) || run.failed > 0)
    run.status = REEL_CLI_EXIT_FAILURE;

  if (run.kind == REEL_GENERATION_VIDEO)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u clip made for %u of %u shots",
                             "%u clips made for %u of %u shots", run.made),
                run.made, run.current - run.failed, run.shots->len);
  else
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u image made for %u of %u shots",
                             "%u images made for %u of %u shots", run.made),
                run.made, run.current - run.failed, run.shots->len);
  g_printerr ("\n");
  print_usage (&run);

out:
  g_clear_pointer (&run.usage, reel_usage_totals_free);
  g_clear_pointer (&run.loop, g_main_loop_unref);
  g_clear_object (&run.cancellable);
  g_clear_pointer (&run.shots, g_ptr_array_unref);
  g_clear_object (&run.project);
  g_clear_object (&run.file);
  g_clear_object (&run.provider);
  g_free (run.angle);
  return run.status;
}
