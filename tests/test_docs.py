"""README keeps telling the truth: every CLI command and setting it should name, it names."""

from click import Group

from frontline.cli import main
from frontline.settings import ROOT, Settings

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: Group, prefix: str = "frontline") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, Group):
            names.extend(_commands(command, f"{prefix} {name}"))
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_cli_command_is_in_the_readme():
    missing = [c for c in _commands(main) if c not in README]
    assert missing == []


def test_every_setting_is_in_the_readme():
    for field in Settings.model_fields:
        assert f"FRONTLINE_{field.upper()}" in README


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    assert "frontline demo" in README and "pytest" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in ci
