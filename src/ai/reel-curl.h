/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* libcurl, loaded on first use. The HTTP engine (reel-http*.c) includes curl through
 * here: the program does not link libcurl (whose TLS libraries cost the dynamic loader
 * more than anything else at start-up); the module storyreel-curl.so does, and hands
 * over the table of the functions the engine calls. The engine's worker thread loads it
 * (reel_curl_load()) before its first transfer; every other call happens after that. */

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <glib.h>

G_BEGIN_DECLS

#define REEL_CURL_FUNCTIONS(F) \
  F (curl_global_init) \
  F (curl_easy_init) \
  F (curl_easy_cleanup) \
  F (curl_easy_setopt) \
  F (curl_easy_getinfo) \
  F (curl_easy_strerror) \
  F (curl_multi_init) \
  F (curl_multi_cleanup) \
  F (curl_multi_add_handle) \
  F (curl_multi_remove_handle) \
  F (curl_multi_perform) \
  F (curl_multi_poll) \
  F (curl_multi_wakeup) \
  F (curl_multi_info_read) \
  F (curl_share_init) \
  F (curl_share_cleanup) \
  F (curl_share_setopt) \
  F (curl_slist_append) \
  F (curl_slist_free_all) \
  F (curl_mime_init) \
  F (curl_mime_free) \
  F (curl_mime_addpart) \
  F (curl_mime_name) \
  F (curl_mime_data) \
  F (curl_mime_filename) \
  F (curl_mime_type)

typedef struct
{
#define REEL_CURL_MEMBER(name) __typeof__ (name) *name;
  REEL_CURL_FUNCTIONS (REEL_CURL_MEMBER)
#undef REEL_CURL_MEMBER
} ReelCurlApi;

gboolean           reel_curl_load (GError **error);
const ReelCurlApi *reel_curl_api  (void);

/* In the engine, each call goes through the table (the module itself calls libcurl, and
 * reel-curl.c fills the table). curl.h defines some of these names as macros of its own. */
#ifndef REEL_CURL_DIRECT
#undef curl_global_init
#define curl_global_init (reel_curl_api ()->curl_global_init)
#undef curl_easy_init
#define curl_easy_init (reel_curl_api ()->curl_easy_init)
#undef curl_easy_cleanup
#define curl_easy_cleanup (reel_curl_api ()->curl_easy_cleanup)
#undef curl_easy_setopt
#define curl_easy_setopt (reel_curl_api ()->curl_easy_setopt)
#undef curl_easy_getinfo
#define curl_easy_getinfo (reel_curl_api ()->curl_easy_getinfo)
#undef curl_easy_strerror
#define curl_easy_strerror (reel_curl_api ()->curl_easy_strerror)
#undef curl_multi_init
#define curl_multi_init (reel_curl_api ()->curl_multi_init)
#undef curl_multi_cleanup
#define curl_multi_cleanup (reel_curl_api ()->curl_multi_cleanup)
#undef curl_multi_add_handle
#define curl_multi_add_handle (reel_curl_api ()->curl_multi_add_handle)
#undef curl_multi_remove_handle
#define curl_multi_remove_handle (reel_curl_api ()->curl_multi_remove_handle)
#undef curl_multi_perform
#define curl_multi_perform (reel_curl_api ()->curl_multi_perform)
#undef curl_multi_poll
#define curl_multi_poll (reel_curl_api ()->curl_multi_poll)
#undef curl_multi_wakeup
#define curl_multi_wakeup (reel_curl_api ()->curl_multi_wakeup)
#undef curl_multi_info_read
#define curl_multi_info_read (reel_curl_api ()->curl_multi_info_read)
#undef curl_share_init
#define curl_share_init (reel_curl_api ()->curl_share_init)
#undef curl_share_cleanup
#define curl_share_cleanup (reel_curl_api ()->curl_share_cleanup)
#undef curl_share_setopt
#define curl_share_setopt (reel_curl_api ()->curl_share_setopt)
#undef curl_slist_append
#define curl_slist_append (reel_curl_api ()->curl_slist_append)
#undef curl_slist_free_all
#define curl_slist_free_all (reel_curl_api ()->curl_slist_free_all)
#undef curl_mime_init
#define curl_mime_init (reel_curl_api ()->curl_mime_init)
#undef curl_mime_free
#define curl_mime_free (reel_curl_api ()->curl_mime_free)
#undef curl_mime_addpart
#define curl_mime_addpart (reel_curl_api ()->curl_mime_addpart)
#undef curl_mime_name
#define curl_mime_name (reel_curl_api ()->curl_mime_name)
#undef curl_mime_data
#define curl_mime_data (reel_curl_api ()->curl_mime_data)
#undef curl_mime_filename
#define curl_mime_filename (reel_curl_api ()->curl_mime_filename)
#undef curl_mime_type
#define curl_mime_type (reel_curl_api ()->curl_mime_type)
#endif

G_END_DECLS
