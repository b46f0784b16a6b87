/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-provider.h"

G_BEGIN_DECLS

#define REEL_TYPE_VEO (reel_veo_get_type ())
G_DECLARE_FINAL_TYPE (ReelVeo, reel_veo, REEL, VEO, ReelProvider)

/* How often the operation is polled (default 5 s). */
void     reel_veo_set_poll_interval      (ReelVeo    *self,
                                          guint       milliseconds);

/* The Google Cloud project that runs Veo (NULL or "": the GOOGLE_CLOUD_PROJECT variable) and
 * its region ("us-central1" when NULL or ""): the requests go to
 * https://{region}-aiplatform.googleapis.com unless an address is set. */
void     reel_veo_set_project            (ReelVeo    *self,
                                          const char *project);
void     reel_veo_set_region             (ReelVeo    *self,
                                          const char *region);
/* A command that prints an access token, such as "gcloud auth print-access-token" (NULL or
 * "": none, the token stored in the keyring is used). It is split like a shell would but run
 * without one; its output is never logged, and the token it prints is kept (for every Veo of
 * the process) until Google Cloud refuses it. */
void     reel_veo_set_token_command      (ReelVeo    *self,
                                          const char *command);
/* Tests only: forget the token a command printed. */
void     reel_veo_forget_token_for_tests (void);
/* Whether @region can be a Google Cloud region: lowercase letters, digits and hyphens. */
gboolean reel_veo_region_is_valid        (const char *region);

/* Whether @uri is HTTPS on Google's own hosts (googleapis.com and its subdomains): the only
 * places the key is sent to. */
gboolean reel_veo_uri_is_google          (const char *uri);
/* Whether @uri is HTTPS on Vertex AI's hosts (aiplatform.googleapis.com and
 * REGION-aiplatform.googleapis.com): the only addresses Veo's requests go to. */
gboolean reel_veo_uri_is_vertex          (const char *uri);
/* Tests only: also trust @origin ("http://127.0.0.1:PORT"), where the fake server runs. No
 * setting or project file reaches it; the tests that run the program set
 * STORYREEL_VEO_TEST_ORIGIN, which is only honoured for a loopback address, so the key
 * never leaves the machine that way. */
void     reel_veo_trust_origin_for_tests (ReelVeo    *self,
                                          const char *origin);

G_END_DECLS
