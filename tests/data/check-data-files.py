#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The built desktop file, metainfo and MIME types agree with each other and with the
application, are translated, and pass the tools the desktop uses to read them.

Usage: check-data-files.py SOURCE_DIR BUILD_DATA_DIR APPLICATION_ID VERSION
"""

import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
MIME_NS = '{http://www.freedesktop.org/standards/shared-mime-info}'
PROJECT_TYPE = 'application/x-storyreel'
TRANSLATED = 'ko'

# AppStream 0.16 (Debian 12) predates <developer>, which 1.0 requires in place of
# <developer_name>: the one notice that is expected. Every other issue, even an
# informational one (a missing content rating is only that), fails.
EXPECTED_APPSTREAM_ISSUES = {('I', 'unknown-tag', 'developer')}

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message)


def localized(element, tag):
    """{lang: text} of the TAG children of ELEMENT; the untranslated one under None."""
    return {child.get(XML_LANG): (child.text or '').strip() for child in element.findall(tag)}


def check_desktop(path, app_id):
    desktop = configparser.ConfigParser(interpolation=None, strict=True)
    desktop.optionxform = str
    desktop.read(path, encoding='utf-8')
    entry = desktop['Desktop Entry']
    if not entry.get('Exec', '').startswith('storyreel '):
        fail('desktop file: Exec does not run storyreel')
    if entry.get('Icon') != app_id:
        fail(f'desktop file: Icon is {entry.get("Icon")!r}, not {app_id!r}')
    mime_types = [t for t in entry.get('MimeType', '').split(';') if t]
    if PROJECT_TYPE not in mime_types:
        fail(f'desktop file: MimeType does not list {PROJECT_TYPE}')
    for key in ('GenericName', 'Comment', 'Keywords'):
        if not entry.get(f'{key}[{TRANSLATED}]'):
            fail(f'desktop file: {key} has no {TRANSLATED} translation')
    keywords = entry.get(f'Keywords[{TRANSLATED}]', ';')
    if not keywords.endswith(';'):
        fail('desktop file: the translated Keywords must end with a semicolon')
    return mime_types


def check_appstream(path):
    result = subprocess.run(['appstreamcli', 'validate', '--no-net', path],
                            capture_output=True, text=True, check=False)
    issues = re.findall(r'^([EWIP]): [^:]+:[^ ]*:? ?(\S+)(?: (\S+))?', result.stdout, re.M)
    for severity, tag, detail in issues:
        if severity == 'P' or (severity, tag, detail) in EXPECTED_APPSTREAM_ISSUES:
            continue
        fail(f'metainfo: appstreamcli reports {severity}: {tag} {detail}')
    if result.returncode != 0:
        fail('metainfo: appstreamcli validate failed:\n' + result.stdout + result.stderr)


def check_metainfo(path, srcdir, app_id, version):
    check_appstream(path)
    component = ET.parse(path).getroot()
    if component.findtext('id') != app_id:
        fail(f'metainfo: id is {component.findtext("id")!r}, not {app_id!r}')
    if component.findtext('launchable') != app_id + '.desktop':
        fail('metainfo: the launchable is not the desktop file')
    if component.findtext('provides/binary') != 'storyreel':
        fail('metainfo: does not provide the storyreel binary')
    if PROJECT_TYPE not in [m.text for m in component.findall('provides/mediatype')]:
        fail(f'metainfo: does not provide {PROJECT_TYPE}')
    if component.find('content_rating[@type="oars-1.1"]') is None:
        fail('metainfo: no OARS 1.1 content rating')
    for tag in ('name', 'summary'):
        if TRANSLATED not in localized(component, tag):
            fail(f'metainfo: {tag} has no {TRANSLATED} translation')
    if not component.findall(f'description/p[@{XML_LANG}="{TRANSLATED}"]'):
        fail(f'metainfo: the description has no {TRANSLATED} translation')

    releases = component.findall('releases/release')
    if not releases or releases[0].get('version') != version:
        fail(f'metainfo: the newest release is not {version}, the version meson builds')
    for release in releases:
        if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', release.get('date', '')):
            fail(f'metainfo: release {release.get("version")} has no date')

    screenshots = component.findall('screenshots/screenshot')
    if [s.get('type') for s in screenshots].count('default') != 1:
        fail('metainfo: exactly one screenshot must be the default')
    for screenshot in screenshots:
        url = screenshot.findtext('image', '')
        match = re.fullmatch(r'https://raw\.githubusercontent\.com/storyreel/storyreel/main/'
                             r'(data/screenshots/[^/]+\.png)', url)
        if not match:
            fail(f'metainfo: screenshot {url} is not a PNG of data/screenshots in the repository')
        elif not os.path.isfile(os.path.join(srcdir, match.group(1))):
            fail(f'metainfo: screenshot {match.group(1)} does not exist')
        if not screenshot.findall(f'caption[@{XML_LANG}="{TRANSLATED}"]'):
            fail(f'metainfo: the caption of {url} has no {TRANSLATED} translation')


def check_mime(path, desktop_mime_types):
    root = ET.parse(path).getroot()
    declared = {t.get('type'): t for t in root.findall(MIME_NS + 'mime-type')}
    project = declared.get(PROJECT_TYPE)
    if project is None:
        fail(f'MIME: {PROJECT_TYPE} is not declared')
        return
    if TRANSLATED not in localized(project, MIME_NS + 'comment'):
        fail(f'MIME: the comment of {PROJECT_TYPE} has no {TRANSLATED} translation')

    # What the desktop's MIME database makes of it: the extension maps to the type, and the
    # type is a kind of SQLite database.
    if not shutil.which('update-mime-database'):
        fail('update-mime-database (shared-mime-info) is not installed')
        return
    with tempfile.TemporaryDirectory(prefix='storyreel-mime-') as datadir:
        tmp = os.path.join(datadir, 'mime')
        os.makedirs(os.path.join(tmp, 'packages'))
        shutil.copy(path, os.path.join(tmp, 'packages'))
        # In the search path, so that what it prints is only what it finds wrong.
        env = dict(os.environ, XDG_DATA_DIRS=datadir)
        result = subprocess.run(['update-mime-database', tmp], capture_output=True, text=True,
                                check=False, env=env)
        if result.returncode != 0 or result.stderr.strip():
            fail('MIME: update-mime-database rejects it:\n' + result.stderr)
            return
        with open(os.path.join(tmp, 'globs2'), encoding='utf-8') as f:
            globs = f.read()
        if f':{PROJECT_TYPE}:*.storyreel' not in globs:
            fail('MIME: *.storyreel does not map to ' + PROJECT_TYPE)
        if ':application/x-final-draft:*.fdx' not in globs:
            fail('MIME: *.fdx does not map to application/x-final-draft')
        with open(os.path.join(tmp, 'subclasses'), encoding='utf-8') as f:
            subclasses = f.read().splitlines()
            if f'{PROJECT_TYPE} application/vnd.sqlite3' not in subclasses:
                fail(f'MIME: {PROJECT_TYPE} is not a sub-class of application/vnd.sqlite3')
            if 'application/x-final-draft application/xml' not in subclasses:
                fail('MIME: application/x-final-draft is not a sub-class of application/xml')

        # Without its extension, a project is still known by its contents (the SQLite header
        # with the application id "Reel"), and another program's database is not taken for one.
        def sqlite_header(application_id):
            header = bytearray(100)
            header[0:16] = b'SQLite format 3\0'
            header[68:72] = application_id
            return bytes(header) + bytes(4096 - 100)

        # A Final Draft script is known by its root element; other XML is not taken for one.
        fdx = ('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
               '<FinalDraft DocumentType="Script" Template="No" Version="5">\n'
               '<Content></Content></FinalDraft>\n').encode()
        other_xml = b'<?xml version="1.0"?>\n<Screenplay><Content/></Screenplay>\n'
        samples = (('project', sqlite_header(b'Reel'), PROJECT_TYPE),
                   ('database', sqlite_header(bytes(4)), 'application/vnd.sqlite3'),
                   ('script', fdx, 'application/x-final-draft'),
                   ('document', other_xml, 'application/xml'))
        env = dict(env, XDG_DATA_DIRS=datadir + ':/usr/local/share:/usr/share')
        for name, data, expected in samples:
            sample = os.path.join(datadir, name)
            with open(sample, 'wb') as f:
                f.write(data)
            result = subprocess.run(['gio', 'info', '-a', 'standard::content-type', sample],
                                    capture_output=True, text=True, check=False, env=env)
            found = re.search(r'standard::content-type: (\S+)', result.stdout)
            found = found.group(1) if found else result.stderr.strip()
            if found != expected:
                fail(f'MIME: a file named “{name}” with {expected} contents is taken for {found}')

    for mime_type in desktop_mime_types:
        if mime_type not in declared:
            fail(f'desktop file: opens {mime_type}, which the MIME file does not declare')


def check_icons(srcdir, app_id):
    base_id = app_id.removesuffix('.Devel')
    icons = os.path.join(srcdir, 'data', 'icons', 'hicolor')
    for path, size in ((f'scalable/apps/{base_id}.svg', '128'),
                       (f'scalable/apps/{base_id}.Devel.svg', '128'),
                       (f'symbolic/apps/{base_id}-symbolic.svg', '16')):
        try:
            svg = ET.parse(os.path.join(icons, path)).getroot()
            with open(os.path.join(icons, path), 'rb') as f:
                head = f.read(256)
        except (OSError, ET.ParseError) as e:
            fail(f'icon {path}: {e}')
            continue
        # Loaded from the resource, an icon has no file name: gdk-pixbuf knows it for an SVG
        # only by finding <svg in its first 256 bytes (shared-mime-info's magic).
        if b'<svg' not in head:
            fail(f'icon {path}: <svg must come within the first 256 bytes')
        if (svg.get('width'), svg.get('height')) != (size, size):
            fail(f'icon {path}: not drawn on the {size}×{size} grid')


def main():
    srcdir, datadir, app_id, version = sys.argv[1:5]
    mime_types = check_desktop(os.path.join(datadir, app_id + '.desktop'), app_id)
    check_metainfo(os.path.join(datadir, app_id + '.metainfo.xml'), srcdir, app_id, version)
    check_mime(os.path.join(datadir, app_id + '.xml'), mime_types)
    check_icons(srcdir, app_id)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
