/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_AI_ERROR (reel_ai_error_quark ())

/**
 * ReelAiError:
 * @REEL_AI_ERROR_FAILED: anything not covered below
 * @REEL_AI_ERROR_NETWORK: the server could not be reached, or the connection broke
 * @REEL_AI_ERROR_TIMEOUT: the server did not answer in time
 * @REEL_AI_ERROR_TLS: the server's certificate could not be verified
 * @REEL_AI_ERROR_TOO_LARGE: the response was larger than the engine accepts
 * @REEL_AI_ERROR_UNSAFE_REDIRECT: the server redirected to something other than http(s)
 * @REEL_AI_ERROR_NOT_LOCAL: "Local only" is on and the provider's host is not private
 * @REEL_AI_ERROR_NO_KEY: the provider needs an API key and none is set
 * @REEL_AI_ERROR_AUTH: the provider refused the key
 * @REEL_AI_ERROR_QUOTA: the account has no quota or credit left (never retried)
 * @REEL_AI_ERROR_RATE_LIMITED: too many requests, still limited after the retries
 * @REEL_AI_ERROR_BLOCKED: the provider's safety system blocked the prompt or the image
 * @REEL_AI_ERROR_INVALID_REQUEST: the provider rejected the request (400, validation)
 * @REEL_AI_ERROR_SERVER: the provider failed (5xx), still failing after the retries
 * @REEL_AI_ERROR_BAD_RESPONSE: the answer was not what the protocol promises
 * @REEL_AI_ERROR_NO_IMAGE: the answer was well formed but held no image
 * @REEL_AI_ERROR_NOT_SUPPORTED: the provider cannot do what was asked (e.g. video)
 * @REEL_AI_ERROR_CONFIG: the provider's settings are incomplete or wrong
 * @REEL_AI_ERROR_MODEL_NOT_FOUND: the service does not offer the model (unknown or retired)
 *
 * Error codes of the %REEL_AI_ERROR domain. Every message names the provider and says
 * what to do. Cancellation is reported as %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  REEL_AI_ERROR_FAILED,
  REEL_AI_ERROR_NETWORK,
  REEL_AI_ERROR_TIMEOUT,
  REEL_AI_ERROR_TLS,
  REEL_AI_ERROR_TOO_LARGE,
  REEL_AI_ERROR_UNSAFE_REDIRECT,
  REEL_AI_ERROR_NOT_LOCAL,
  REEL_AI_ERROR_NO_KEY,
  REEL_AI_ERROR_AUTH,
  REEL_AI_ERROR_QUOTA,
  REEL_AI_ERROR_RATE_LIMITED,
  REEL_AI_ERROR_BLOCKED,
  REEL_AI_ERROR_INVALID_REQUEST,
  REEL_AI_ERROR_SERVER,
  REEL_AI_ERROR_BAD_RESPONSE,
  REEL_AI_ERROR_NO_IMAGE,
  REEL_AI_ERROR_NOT_SUPPORTED,
  REEL_AI_ERROR_CONFIG,
  REEL_AI_ERROR_MODEL_NOT_FOUND,
} ReelAiError;

GQuark reel_ai_error_quark (void);

G_END_DECLS
