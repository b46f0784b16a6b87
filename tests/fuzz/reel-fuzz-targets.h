/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What the fuzzers feed: every entry takes untrusted bytes and must come back
 * with a result or an error, never a crash, a sanitizer report or a critical.
 * The libFuzzer targets (fuzz-main.c) and the corpus replay of the unit suite
 * (test-fuzz-corpus.c) call the same functions.
 */

typedef void (*ReelFuzzEntry) (const guint8 *data,
                               gsize         size);

typedef struct
{
  const char    *name;    /* also the corpus folder, tests/fuzz/corpus/<name> */
  ReelFuzzEntry  entry;
} ReelFuzzTarget;

/* A .storyreel file as it could arrive: the bytes written to a file, then opened as a
 * recovery file is (which may name assets its document holds). */
void reel_fuzz_project_file (const guint8 *data,
                             gsize         size);
/* A Fountain screenplay imported. */
void reel_fuzz_fountain     (const guint8 *data,
                             gsize         size);
/* A Gemini generateContent answer body. */
void reel_fuzz_gemini       (const guint8 *data,
                             gsize         size);
/* An OpenAI images answer body. */
void reel_fuzz_openai       (const guint8 *data,
                             gsize         size);

/* What a ComfyUI server sends: the first byte picks /history (0), a /ws text message (1),
 * a /ws binary message (2) or the WebSocket frames themselves (3). */
void reel_fuzz_comfyui      (const guint8 *data,
                             gsize         size);
/* A Seedream (Ark) images answer body. */
void reel_fuzz_seedream     (const guint8 *data,
                             gsize         size);
/* A Veo answer: the operation predictLongRunning started, and a poll of it. */
void reel_fuzz_veo          (const guint8 *data,
                             gsize         size);

/* Every target, NULL-terminated. */
const ReelFuzzTarget *reel_fuzz_get_targets (void);
/* Makes criticals fatal and quiets debug output; call once first. */
void                  reel_fuzz_init        (void);

G_END_DECLS
