#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every translatable string reaches the translators, and every language ships complete.

Regenerates the template from po/POTFILES.in as meson's glib preset does, merges each language
of po/LINGUAS against it in a temporary directory and fails on any untranslated or fuzzy
message. Fails as well on a source file with translatable text that POTFILES.in does not list:
its strings would stay in English without anyone noticing.

Usage: check-translations.py SOURCE_DIR
"""

import os
import re
import subprocess
import sys
import tempfile

# The keywords and flags of meson's i18n.gettext(preset: 'glib'), which builds the real template.
XGETTEXT_ARGS = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

# Kinds of files that can carry user-visible text, and where they live. xgettext knows each
# kind by its name (C, GtkBuilder, desktop entries, and the ITS rules of metainfo, GSettings
# and shared-mime-info).
CANDIDATE_DIRS = ('src', 'ui', 'data')
CANDIDATE_SUFFIXES = ('.c', '.h', '.ui', '.desktop.in', '.metainfo.xml.in', '.gschema.xml',
                      '.mime.xml.in')

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message)


def run(args, **kwargs):
    return subprocess.run(args, check=False, capture_output=True, text=True, **kwargs)


def read_list(path):
    entries = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append(line)
    return entries


def referenced_files(pot_path):
    """The source files a template's '#:' lines point at."""
    files = set()
    if not os.path.exists(pot_path):
        return files
    with open(pot_path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#: '):
                for ref in line[3:].split():
                    files.add(re.sub(r':\d+$', '', ref))
    return files


def xgettext(srcdir, files, output):
    list_path = output + '.files'
    with open(list_path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(files) + '\n')
    result = run(['xgettext', *XGETTEXT_ARGS, '--package-name=storyreel', '--force-po',
                  '--directory=' + srcdir, '--files-from=' + list_path, '--output=' + output])
    if result.returncode != 0:
        fail('xgettext failed:\n' + result.stderr)
    return result.returncode == 0


def entries_of(po_path, attrib_option):
    """The msgids msgattrib selects with ATTRIB_OPTION (untranslated, fuzzy), header excluded."""
    result = run(['msgattrib', attrib_option, '--no-obsolete', '--no-wrap', po_path])
    msgids = []
    context = None
    for line in result.stdout.splitlines():
        if line.startswith('msgctxt '):
            context = line[len('msgctxt '):]
        elif line.startswith('msgid '):
            msgid = line[len('msgid '):]
            if msgid != '""':
                msgids.append((context + ' | ' if context else '') + msgid)
            context = None
    return msgids


def main():
    srcdir = os.path.abspath(sys.argv[1])
    podir = os.path.join(srcdir, 'po')
    potfiles = read_list(os.path.join(podir, 'POTFILES.in'))
    languages = read_list(os.path.join(podir, 'LINGUAS'))

    for path in potfiles:
        if not os.path.isfile(os.path.join(srcdir, path)):
            fail(f'po/POTFILES.in lists {path}, which does not exist')
    for path in sorted({p for p in potfiles if potfiles.count(p) > 1}):
        fail(f'po/POTFILES.in lists {path} more than once')
    if not languages:
        fail('po/LINGUAS lists no language')

    with tempfile.TemporaryDirectory(prefix='storyreel-po-') as tmp:
        # Files with translatable text that POTFILES.in forgot.
        unlisted = []
        for top in CANDIDATE_DIRS:
            for dirpath, _, names in os.walk(os.path.join(srcdir, top)):
                for name in names:
                    path = os.path.relpath(os.path.join(dirpath, name), srcdir)
                    if name.endswith(CANDIDATE_SUFFIXES) and path not in potfiles:
                        unlisted.append(path)
        if unlisted:
            stray_pot = os.path.join(tmp, 'unlisted.pot')
            if xgettext(srcdir, sorted(unlisted), stray_pot):
                for path in sorted(referenced_files(stray_pot)):
                    fail(f'{path} has translatable strings but po/POTFILES.in does not list it')

        # The template, then every language merged against it.
        pot = os.path.join(tmp, 'storyreel.pot')
        existing = [p for p in potfiles if os.path.isfile(os.path.join(srcdir, p))]
        if not xgettext(srcdir, existing, pot):
            return 1
        print(f'template: {len(referenced_files(pot))} source files')

        for lang in languages:
            po = os.path.join(podir, lang + '.po')
            if not os.path.isfile(po):
                fail(f'po/LINGUAS lists {lang} but po/{lang}.po does not exist')
                continue
            merged = os.path.join(tmp, lang + '.po')
            result = run(['msgmerge', '--quiet', '--output-file=' + merged, po, pot])
            if result.returncode != 0:
                fail(f'msgmerge of po/{lang}.po failed:\n{result.stderr}')
                continue
            check = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, merged])
            if check.returncode != 0:
                fail(f'po/{lang}.po does not compile once merged:\n{check.stderr}')
            print(f'{lang}: {check.stderr.strip()}')
            for msgid in entries_of(merged, '--untranslated'):
                fail(f'{lang}: untranslated: {msgid}')
            for msgid in entries_of(merged, '--only-fuzzy'):
                fail(f'{lang}: fuzzy (guessed from a similar string; check it): {msgid}')

    if failures:
        print(f'{len(failures)} problem(s). Run `meson compile storyreel-update-po` in the build '
              'directory and translate what it marks.')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
