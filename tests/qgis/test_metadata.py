"""The plugin's metadata.txt as QGIS reads it: QGIS's own parsers (qgis.utils, and the
plugin manager's pyplugin_installer) find every field QGIS requires, the plugin is loadable
and compatible with this QGIS, and no field holds an invented web or mail address (the
project publishes none: the fields say where the plugin and its documentation are)."""

import os
import re

from conftest import PLUGINS

REQUIRED = ("name", "qgisMinimumVersion", "description", "about", "version", "author",
            "email", "repository")
KEY = "bufferzone_processing"


def test_qgis_reads_every_required_field(app):
    import qgis.utils
    saved = list(qgis.utils.plugin_paths)
    qgis.utils.plugin_paths = [PLUGINS]
    try:
        qgis.utils.updateAvailablePlugins()
        assert KEY in qgis.utils.available_plugins
        values = {k: qgis.utils.pluginMetadata(KEY, k) for k in REQUIRED + ("homepage", "tracker")}
    finally:
        qgis.utils.plugin_paths = saved
        qgis.utils.updateAvailablePlugins()
    for k in REQUIRED:
        assert values[k] and values[k] != "__error__", k
    for k, v in values.items():
        assert not re.search(r"https?://|www\.|\bexample\.|\.invalid\b|@", v), (k, v)
    assert "README.md" in values["homepage"] and "source tree" in values["repository"]


def test_plugin_manager_finds_it_loadable(app):
    import sys
    if "/usr/share/qgis/python" not in sys.path:  # QGIS's own Python modules
        sys.path.append("/usr/share/qgis/python")
    from pyplugin_installer.installer_data import plugins
    info = plugins.getInstalledPlugin(KEY, os.path.join(PLUGINS, KEY), readOnly=True)
    assert info["error"] == "", (info["error"], info["error_details"])
    assert info["name"] == "Bufferzone" and info["version_installed"] == "0.1.0"
