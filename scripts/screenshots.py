"""The README's screenshots: the English example with an open incident and the Japanese site
of tests/fixtures/ja, built at the browser tests' moment, photographed in Debian's Chromium
on a desktop (1280×900) and a phone (390×844), light and dark (the reader's system setting).

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

Look at every image before committing it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "site"))

import harness  # noqa: E402

DEVICES = {
    "desktop": {"viewport": harness.DESKTOP},
    "phone": {"viewport": harness.PHONE, "is_mobile": True, "has_touch": True},
}
# (name, page of the English site, page of the Japanese site)
PAGES = [
    ("home", "", ""),
    ("incident", harness.PAGES["incident"], harness.JA_PAGES["incident"]),
    ("postmortem", harness.PAGES["postmortem"], harness.JA_PAGES["postmortem"]),
]
# What the README shows: every page in English, light; the status page in every combination;
# the incident and postmortem in Japanese and in dark as well.
SHOTS = [
    (page, lang, scheme)
    for page, _, _ in PAGES
    for lang in ("en", "ja")
    for scheme in ("light", "dark")
    if page == "home" or (lang, scheme) in (("en", "light"), ("en", "dark"), ("ja", "light"))
]


def build(config: Path, out: Path) -> Path:
    candor = Path(sys.executable).parent / "candor"
    subprocess.run(
        [str(candor), "build", "--config", str(config), "--out", str(out), "--now", harness.NOW],
        check=True,
        capture_output=True,
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sites = {
            "en": build(harness.open_example(work / "en"), work / "en-site"),
            "ja": build(harness.japanese_example(work / "ja"), work / "ja-site"),
        }
        paths = {name: {"en": en, "ja": ja} for name, en, ja in PAGES}
        with (
            harness.serve(sites["en"]) as en,
            harness.serve(sites["ja"]) as ja,
            sync_playwright() as playwright,
        ):
            served = {"en": en, "ja": ja}
            browser = playwright.chromium.launch(
                executable_path=str(harness.CHROMIUM), args=harness.CHROMIUM_ARGS
            )
            for page_name, lang, scheme in SHOTS:
                for device, options in DEVICES.items():
                    context = browser.new_context(
                        java_script_enabled=False, color_scheme=scheme, **options
                    )
                    page = context.new_page()
                    page.goto(served[lang].page(paths[page_name][lang]), wait_until="load")
                    target = args.out / f"{page_name}-{lang}-{scheme}-{device}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(ROOT))
                    context.close()
            browser.close()


if __name__ == "__main__":
    main()
