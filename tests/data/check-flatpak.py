#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifests parse, name the right application, ask for what a video and network
application needs and nothing more, and pin the source of every module they build.

Usage: check-flatpak.py SOURCE_DIR BASE_APPLICATION_ID
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Network for the generators; Wayland with X11 as a fallback (and IPC, which X11 needs);
# the GPU for GTK and GStreamer; sound for the animatic; the host's files for footage a
# project links by path (the document portal gives single files, not the folders Relink
# searches), as video editors on Flathub do. Opening and saving go through the portals.
FINISH_ARGS = {
    '--share=network',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--share=ipc',
    '--device=dri',
    '--socket=pulseaudio',
    '--filesystem=host',
}
# Permissions the manifest must explain in "x-finish-args-reasons": the broad ones.
EXPLAINED = ('--filesystem=host',)
MIN_RUNTIME = 50

failures = []


def fail(manifest, message):
    failures.append(message)
    print(f'FAIL: {manifest}: {message}')


def check_pinned(name, module, source, allow_dir, allow_tag_only):
    kind = source.get('type')
    if kind in ('archive', 'file'):
        if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
            fail(name, f'module {module}: {kind} source without a sha256')
        if not source.get('url', '').startswith('https://'):
            fail(name, f'module {module}: {kind} source not fetched over https')
    elif kind == 'git':
        has_commit = re.fullmatch(r'[0-9a-f]{40}', source.get('commit', '')) is not None
        if source.get('branch'):
            fail(name, f'module {module}: git source follows a branch')
        if not has_commit and not (allow_tag_only and source.get('tag')):
            fail(name, f'module {module}: git source without a commit')
    elif kind == 'dir':
        if not allow_dir:
            fail(name, f'module {module}: builds a local directory')
        elif source.get('path') != '..':
            fail(name, f'module {module}: the development build must build the working tree (..)')
    elif kind == 'patch':
        pass
    else:
        fail(name, f'module {module}: source type {kind} cannot be pinned')


def check_manifest(path, app_id, development):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        fail(name, f'does not parse: {e}')
        return None

    if name != app_id + '.json':
        fail(name, f'the file should be named {app_id}.json')
    if manifest.get('id', manifest.get('app-id')) != app_id:
        fail(name, f'id is {manifest.get("id")!r}, not {app_id!r}')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        fail(name, 'runtime and sdk must be org.gnome.Platform and org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    if not version.isdigit() or int(version) < MIN_RUNTIME:
        fail(name, f'runtime-version {version!r} is older than GNOME {MIN_RUNTIME}')
    if manifest.get('command') != 'storyreel':
        fail(name, 'command must be storyreel')

    finish_args = manifest.get('finish-args', [])
    if len(finish_args) != len(set(finish_args)):
        fail(name, 'finish-args repeats a permission')
    for extra in sorted(set(finish_args) - FINISH_ARGS):
        fail(name, f'finish-args asks for {extra}, which Storyreel does not need')
    for missing in sorted(FINISH_ARGS - set(finish_args)):
        fail(name, f'finish-args lacks {missing}')
    reasons = manifest.get('x-finish-args-reasons', {})
    for permission in EXPLAINED:
        reason = reasons.get(permission, '') if isinstance(reasons, dict) else ''
        if permission in finish_args and len(reason.split()) < 10:
            fail(name, f'x-finish-args-reasons does not say why it asks for {permission}')

    modules = manifest.get('modules', [])
    if not modules or not isinstance(modules[-1], dict) or modules[-1].get('name') != 'storyreel':
        fail(name, 'the last module must be storyreel')
        return manifest
    for module in modules:
        if not isinstance(module, dict):
            fail(name, f'module {module!r} is a separate file; keep every module in the manifest')
            continue
        is_app = module is modules[-1]
        if not module.get('sources'):
            fail(name, f'module {module.get("name")} has no sources')
        for source in module.get('sources', []):
            check_pinned(name, module.get('name'), source,
                         allow_dir=development and is_app,
                         allow_tag_only=is_app and not development)

    app = modules[-1]
    if app.get('buildsystem') != 'meson':
        fail(name, 'storyreel builds with meson')
    profile = [o for o in app.get('config-opts', []) if o.startswith('-Dprofile=')]
    wanted = '-Dprofile=development' if development else '-Dprofile=default'
    if profile != [wanted]:
        fail(name, f'storyreel must be configured with {wanted}')
    # Neither the test suites nor the demo project (a video the build encodes) are
    # installed: a package builds neither.
    for option in ('-Dtests=false', '-Ddemo=false'):
        if option not in app.get('config-opts', []):
            fail(name, f'storyreel must be configured with {option}: the package does not '
                       'install what it builds')
    if not any(m.get('name') == 'gst-editing-services' for m in modules if isinstance(m, dict)):
        fail(name, 'GStreamer Editing Services is not in the GNOME runtime and must be built')

    # flatpak-builder, where it is installed, knows every property a manifest may use.
    builder = shutil.which('flatpak-builder')
    if builder:
        # It keeps its state in the working directory: give it one of its own.
        with tempfile.TemporaryDirectory(prefix='storyreel-flatpak-') as tmp:
            result = subprocess.run([builder, '--show-manifest', os.path.abspath(path)],
                                    capture_output=True, text=True, check=False, cwd=tmp)
        if result.returncode != 0 or 'Unknown property' in result.stderr:
            fail(name, 'flatpak-builder does not accept it:\n' + result.stderr)
    return manifest


def main():
    srcdir, base_id = sys.argv[1], sys.argv[2]
    release = check_manifest(os.path.join(srcdir, 'flatpak', base_id + '.json'), base_id, False)
    devel = check_manifest(os.path.join(srcdir, 'flatpak', base_id + '.Devel.json'),
                           base_id + '.Devel', True)

    # The development build differs only in its id and in building the working tree.
    if release and devel:
        for key in ('runtime', 'runtime-version', 'sdk', 'command', 'finish-args', 'cleanup'):
            if release.get(key) != devel.get(key):
                fail('Devel manifest', f'{key} differs from the release manifest')
        if release.get('modules', [])[:-1] != devel.get('modules', [])[:-1]:
            fail('Devel manifest', 'its dependencies differ from the release manifest')

    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
