/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ai/reel-comfyui-events.h"
#include "ai/reel-gemini-private.h"
#include "ai/reel-openai-private.h"
#include "ai/reel-seedream-private.h"
#include "ai/reel-veo-private.h"
#include "ai/reel-websocket.h"
#include "storage/reel-fountain.h"
#include "storage/reel-project-file.h"
#include "storage/reel-project-file-private.h"
#include "reel-fuzz-targets.h"

static const ReelFuzzTarget targets[] = {
  { "project-file", reel_fuzz_project_file },
  { "fountain", reel_fuzz_fountain },
  { "gemini", reel_fuzz_gemini },
  { "openai", reel_fuzz_openai },
  { "comfyui", reel_fuzz_comfyui },
  { "seedream", reel_fuzz_seedream },
  { "veo", reel_fuzz_veo },
  { NULL, NULL },
};

static char *project_path;

const ReelFuzzTarget *
reel_fuzz_get_targets (void)
{
  return targets;
}

/* A critical is a bug the fuzzer found, like a crash: abort() (not GLib's
 * breakpoint trap) so that libFuzzer keeps the input and prints the stack. */
static void
abort_on_critical (const char     *domain,
                   GLogLevelFlags  level,
                   const char     *message,
                   gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    {
      fprintf (stderr, "%s: %s\n", domain != NULL ? domain : "", message);
      abort ();
    }
}

static GLogWriterOutput
abort_on_critical_writer (GLogLevelFlags   level,
                          const GLogField *fields,
                          gsize            n_fields,
                          gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
          fprintf (stderr, "%s\n", (const char *) fields[i].value);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

void
reel_fuzz_init (void)
{
  g_autofree char *name = NULL;

  g_log_set_default_handler (abort_on_critical, NULL);
  g_log_set_writer_func (abort_on_critical_writer, NULL, NULL);
  name = g_strdup_printf ("storyreel-fuzz-%d.storyreel", (int) getpid ());
  project_path = g_build_filename (g_get_tmp_dir (), name, NULL);
}

void
reel_fuzz_project_file (const guint8 *data,
                        gsize         size)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autofree char *journal = NULL;

  g_assert (project_path != NULL);
  if (!g_file_set_contents (project_path, (const char *) data, size, NULL))
    return;

  /* As a recovery file is opened: it may name assets held by another document
   * (table document_assets), which a load reads from there or reports missing. */
  file = g_file_new_for_path (project_path);
  project = reel_project_file_load_unsaved (file, &missing, &error);
  g_assert ((project == NULL) != (error == NULL));
  if (error != NULL)
    g_assert (error->message != NULL && *error->message != '\0');
  if (missing != NULL)
    g_assert (project != NULL && missing->message != NULL && *missing->message != '\0');

  journal = g_strconcat (project_path, "-journal", NULL);
  g_unlink (journal);
  g_unlink (project_path);
}

void
reel_fuzz_fountain (const guint8 *data,
                    gsize         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = reel_fountain_import_from_string ((const char *) data,
                                                                     (gssize) size, &error);

  g_assert ((project == NULL) != (error == NULL));
}

static void
check_images (GPtrArray *assets,
              GError    *error)
{
  g_assert ((assets == NULL) != (error == NULL));
  for (guint i = 0; assets != NULL && i < assets->len; i++)
    g_assert (g_ptr_array_index (assets, i) != NULL);
}

void
reel_fuzz_gemini (const guint8 *data,
                  gsize         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assets = reel_gemini_parse_images (body, "Gemini", &error);

  check_images (assets, error);
}

void
reel_fuzz_openai (const guint8 *data,
                  gsize         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assets = reel_openai_parse_images (body, "OpenAI", &error);

  check_images (assets, error);
}

void
reel_fuzz_comfyui (const guint8 *data,
                   gsize         size)
{
  const char *prompt_id = "2f0f6d2e-8f1b-4c39-9d57-3a4c8e1f0b6a";
  const guint8 *rest = data + 1;
  gsize length = size > 0 ? size - 1 : 0;

  if (size == 0)
    return;

  /* The first byte picks the parser; the rest is what a server could send. */
  switch (data[0] % 4)
    {
    case 0:
      {
        ReelComfyuiHistory history;

        if (reel_comfyui_history_parse ((const char *) rest, length, prompt_id, &history)
            && history.found && !history.failed)
          for (guint i = 0; i < history.views->len; i++)
            g_assert (g_str_has_prefix (g_ptr_array_index (history.views, i), "/view?"));
        reel_comfyui_history_clear (&history);
        break;
      }

    case 1:
      {
        ReelComfyuiEvent event;

        if (reel_comfyui_event_parse_text ((const char *) rest, length, &event)
            && event.type == REEL_COMFYUI_EVENT_PROGRESS)
          g_assert (event.max > 0 && event.value >= 0 && event.value <= event.max);
        reel_comfyui_event_clear (&event);
        break;
      }

    case 2:
      {
        g_autoptr(GBytes) bytes = g_bytes_new (rest, length);
        ReelComfyuiEvent event;

        if (reel_comfyui_event_parse_binary (bytes, &event)
            && event.type == REEL_COMFYUI_EVENT_PREVIEW)
          g_assert (g_bytes_get_size (event.image) == length - 8);
        reel_comfyui_event_clear (&event);
        break;
      }

    default:
      {
        /* A stream of frames, fed in pieces of the sizes a network gives. */
        g_autoptr(ReelWebsocketDecoder) decoder = reel_websocket_decoder_new (1 << 16);
        gsize offset = 0;

        while (offset < length)
          {
            gsize piece = MIN (length - offset, (gsize) 1 + rest[offset] % 64);
            ReelWebsocketOpcode opcode;
            GBytes *payload = NULL;
            g_autoptr(GError) error = NULL;
            int next;

            reel_websocket_decoder_push (decoder, rest + offset, piece);
            offset += piece;
            while ((next = reel_websocket_decoder_next (decoder, &opcode, &payload, &error)) == 1)
              {
                if (opcode == REEL_WEBSOCKET_TEXT)
                  g_assert (g_utf8_validate_len (g_bytes_get_data (payload, NULL),
                                                 g_bytes_get_size (payload), NULL));
                g_bytes_unref (payload);
                payload = NULL;
              }
            if (next < 0)
              {
                g_assert (error != NULL);
                return;
              }
          }
        break;
      }
    }
}

void
reel_fuzz_seedream (const guint8 *data,
                    gsize         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(ReelGenerationRecord) record = reel_generation_record_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelSeedreamParsed) parsed = reel_seedream_parse_images (body, "Seedream", record,
                                                                     &error);

  check_images (parsed != NULL ? parsed->assets : NULL, error);
  if (parsed != NULL)
    {
      g_assert (parsed->assets->len > 0);
      g_assert (parsed->assets->len + parsed->failures->len <= parsed->asked);
      for (guint i = 0; i < parsed->failures->len; i++)
        g_assert (g_ptr_array_index (parsed->failures, i) != NULL);
    }
}

/* The key the Veo parser must keep out of what it reports. */
#define FUZZ_VEO_KEY "AIzaFuzzKey0123456789"

void
reel_fuzz_veo (const guint8 *data,
               gsize         size)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GBytes) video = NULL;
  JsonObject *answer;
  const char *name;
  gboolean done = TRUE;

  /* What the HTTP step hands over: a JSON object (anything else is refused before). */
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  answer = json_node_get_object (json_parser_get_root (parser));

  /* The same object as a start answer and as a poll answer. */
  name = reel_veo_parse_operation_name (answer, "Veo", &name_error);
  g_assert ((name == NULL) != (name_error == NULL));
  if (name != NULL)
    g_assert (strstr (name, "..") == NULL && strchr (name, '?') == NULL);

  if (reel_veo_parse_operation (answer, "Veo", FUZZ_VEO_KEY, &done, &video, &error))
    {
      g_assert (error == NULL);
      g_assert (done == (video != NULL));
    }
  else
    {
      g_assert (error != NULL && error->message != NULL && video == NULL && !done);
      g_assert (strstr (error->message, FUZZ_VEO_KEY) == NULL);
    }
}
