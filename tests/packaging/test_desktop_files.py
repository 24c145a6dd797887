"""The Linux desktop files parse, and agree with the code on app id, MIME type, extension and
version."""

import configparser
import re
import xml.etree.ElementTree as ET
from importlib.metadata import version
from pathlib import Path

from circuit_editor import appinfo, resources

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def test_desktop_entry():
    path = LINUX / f"{appinfo.APP_ID}.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "circuit-editor"
    assert entry["Icon"] == appinfo.APP_ID
    assert appinfo.MIME_TYPE in entry["MimeType"].split(";")
    assert entry["Categories"].endswith(";") and "Education" in entry["Categories"]


def test_mime_info():
    root = ET.parse(LINUX / f"{appinfo.APP_ID}.mime.xml").getroot()
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == appinfo.MIME_TYPE
    assert mime.find(f"{MIME_NS}glob").get("pattern") == "*" + appinfo.EXTENSION
    magic = mime.find(f"{MIME_NS}magic/{MIME_NS}match").get("value")
    assert magic == '"format": "circuit-editor"'


def test_metainfo():
    root = ET.parse(LINUX / f"{appinfo.APP_ID}.metainfo.xml").getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == appinfo.APP_ID
    assert root.findtext("launchable") == f"{appinfo.APP_ID}.desktop"
    assert root.findtext("provides/mediatype") == appinfo.MIME_TYPE
    assert root.findtext("provides/binary") == "circuit-editor"


def test_icon_is_an_svg():
    root = ET.parse(resources.path("icons", "circuit-editor.svg")).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_saved_files_carry_the_magic_the_mime_entry_looks_for():
    import circuit_editor as ce
    from circuit_editor import files

    text = files.dumps(ce.from_code("f = x * y"))
    assert '"format": "circuit-editor"' in text[:256]


def test_the_version_is_written_once():
    """circuit_editor.__version__ is the version; the build reads it from there, and the
    AppStream file's newest release is it."""
    import circuit_editor as ce

    assert re.fullmatch(r"\d+\.\d+\.\d+", ce.__version__)
    assert version("circuit-editor") == ce.__version__, "reinstall: pip install -e ."
    root = ET.parse(LINUX / f"{appinfo.APP_ID}.metainfo.xml").getroot()
    newest = root.find("releases/release")
    assert newest.get("version") == ce.__version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", newest.get("date"))
