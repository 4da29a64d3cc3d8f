"""The README names every platform and the export settings its adapter reads."""

from surveybrief.config import PROJ_ROOT
from surveybrief.platforms.registry import platforms


def test_the_readme_table_gives_each_platforms_settings_as_the_adapter_says_them():
    readme = (PROJ_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| platform | export settings read |") :]
    for platform in platforms().values():
        assert f"| {platform.title} | {platform.settings} |" in table, platform.name
