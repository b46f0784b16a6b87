#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for `gcloud auth print-access-token`, for Veo's token command.

    fake-gcloud.py COUNT_FILE TOKEN [auth print-access-token]

Prints TOKEN and a newline on stdout, as gcloud does, and adds a line to COUNT_FILE each time
it runs (so a test can tell whether the token was remembered). With TOKEN "fail" it prints
gcloud's complaint on stderr and exits 1, as gcloud does when its login has expired.
"""

import sys


def main():
    count_file, token = sys.argv[1], sys.argv[2]
    with open(count_file, "a", encoding="utf-8") as counts:
        counts.write("run\n")
    if token == "fail":
        sys.stderr.write("ERROR: (gcloud.auth.print-access-token) There was a problem "
                         "refreshing your current auth tokens: Reauthentication failed. "
                         "Please run:\n\n  $ gcloud auth login\n")
        return 1
    sys.stdout.write(token + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
