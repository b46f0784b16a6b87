/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each headless command lives in its own file (reel-cli-<command>.c) and is listed in
 * the table of reel-cli.c. A command gets argv from its own name on, prints its
 * result on stdout and its errors on stderr, and returns the process exit status. */
typedef int (*ReelCliCommand) (int    argc,
                               char **argv);

/* Exit statuses shared by every command, so pipelines can tell failures apart. */
enum {
  REEL_CLI_EXIT_OK = 0,
  REEL_CLI_EXIT_FAILURE = 1,  /* the work failed: a provider error, a write error */
  REEL_CLI_EXIT_USAGE = 2,    /* bad arguments */
  REEL_CLI_EXIT_INPUT = 3,    /* an input file is missing, unreadable or not valid */
};

void reel_cli_print_error (const char *format,
                           ...) G_GNUC_PRINTF (1, 2);

int reel_cli_export (int    argc,
                     char **argv);

int reel_cli_generate (int    argc,
                       char **argv);

int reel_cli_info (int    argc,
                   char **argv);

int reel_cli_new (int    argc,
                  char **argv);

G_END_DECLS
