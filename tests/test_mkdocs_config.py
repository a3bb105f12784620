"""generator/cli/mkdocs_config.py: what mkdocs itself refuses in mkdocs.yml is an error of
`candor check` at the offending key, and `candor build` refuses it with the same words."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from mkdocs.config.config_options import Plugins
from mkdocs.config.defaults import MkDocsConfig

from generator.cli import main
from generator.core.config import load_settings
from generator.plugin.mkdocs_config import check_problems

NOW = "2026-12-01T00:00Z"
CONFIG = """\
site_name: Acme Status
site_url: https://status.acme.dev/
docs_dir: docs
theme:
  name: material
  custom_dir: overrides
plugins:
  - search
  - minify
  - candor:
      timezone: UTC
      components:
        - id: api
          name: API
markdown_extensions: [toc, nosuch_ext]
"""


def site(tmp_path: Path, config: str = CONFIG) -> Path:
    (tmp_path / "incidents").mkdir()
    path = tmp_path / "mkdocs.yml"
    path.write_text(config, encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    # A traceback would be an exception other than Click's exit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_each_setting_mkdocs_refuses_is_an_error_at_its_key(tmp_path: Path) -> None:
    config = site(tmp_path)
    code, output = invoke("check", "--config", str(config), "--now", NOW)
    assert code == 1
    lines = [line for line in output.splitlines() if "[mkdocs-config]" in line]
    assert lines == [
        "mkdocs.yml:6:3: error: mkdocs refuses `theme.custom_dir`: The path set in custom_dir "
        f"('{tmp_path / 'overrides'}') does not exist. [mkdocs-config]",
        'mkdocs.yml:9:5: error: mkdocs refuses `plugins`: The "minify" plugin is not installed '
        "[mkdocs-config]",
        "mkdocs.yml:15:28: error: mkdocs refuses `markdown_extensions`: Failed to load "
        "extension 'nosuch_ext'. ModuleNotFoundError: No module named 'nosuch_ext' "
        "[mkdocs-config]",
    ]
    assert "hint: create the folder" in output and "hint: install the plugin" in output
    assert "3 errors" in output

    out = tmp_path / "out"
    code, built = invoke("build", "--config", str(config), "--now", NOW, "--out", str(out))
    assert code == 1 and not out.exists()
    assert all(line in built for line in lines)


def test_the_site_builds_once_they_are_fixed(tmp_path: Path) -> None:
    fixed = CONFIG.replace("  - minify\n", "").replace(", nosuch_ext", "")
    config = site(tmp_path, fixed)
    (tmp_path / "overrides").mkdir()
    assert invoke("check", "--config", str(config), "--now", NOW)[0] == 0
    out = tmp_path / "out"
    code, output = invoke("build", "--config", str(config), "--now", NOW, "--out", str(out))
    assert code == 0, output
    assert (out / "index.html").is_file()


def test_mkdocs_warnings_are_warnings_and_errors_under_strict(tmp_path: Path) -> None:
    """mkdocs aborts on its own warnings about the config under `strict: true`."""
    fixed = CONFIG.replace("  custom_dir: overrides\n", "").replace("  - minify\n", "")
    config = site(tmp_path, fixed.replace(", nosuch_ext", "") + "nosuch_setting: 1\n")
    code, output = invoke("check", "--config", str(config), "--now", NOW)
    assert code == 0
    assert (
        "mkdocs.yml:14:1: warning: mkdocs warns about `nosuch_setting`: Unrecognised "
        "configuration name: nosuch_setting [mkdocs-config]"
    ) in output

    config.write_text(config.read_text(encoding="utf-8") + "strict: true\n", encoding="utf-8")
    code, output = invoke("check", "--config", str(config), "--now", NOW)
    assert code == 1 and "mkdocs.yml:14:1: error: mkdocs warns about `nosuch_setting`" in output
    out = tmp_path / "out"
    code, built = invoke("build", "--config", str(config), "--now", NOW, "--out", str(out))
    assert code == 1 and "mkdocs.yml:14:1: error: mkdocs warns about `nosuch_setting`" in built
    assert not out.exists()


def test_check_leaves_mkdocs_loading_the_real_plugin(tmp_path: Path) -> None:
    """The check validates with a stand-in for Candor's plugin, and puts the real one back."""
    fixed = CONFIG.replace("  custom_dir: overrides\n", "").replace("  - minify\n", "")
    settings = load_settings(site(tmp_path, fixed.replace(", nosuch_ext", "")))
    option = dict(MkDocsConfig._schema)["plugins"]
    assert isinstance(option, Plugins)
    before = option.installed_plugins["candor"]
    assert check_problems(settings) == []
    assert option.installed_plugins["candor"] is before
