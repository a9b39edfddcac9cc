"""One settings declaration: loading (YAML, TOML, dotted/bare/nested keys), validation, CLI, README."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from graphnews.cli import cli
from graphnews.errors import SettingsError
from graphnews.settings import Settings, declared, declared_keys, defaults_yaml, load_settings

from conftest import ROOT


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("text, message", [
    ("simliar: 3\n", "unknown key 'simliar'"),
    ("top_k: 2.5\n", "similar.top_k must be a finite non-negative int, not 2.5"),
    ("story_threshold: .nan\n", "stories.story_threshold must be a finite non-negative float, not nan"),
    ("stories:\n  story_decay_hours: .inf\n", "stories.story_decay_hours must be a finite non-negative float"),
    ("stories.story_threshold: -1\n", "must be a finite non-negative float, not -1"),
    ("neighbours: true\n", "stories.neighbours must be a finite non-negative int, not True"),
    (f"story_threshold: {10 ** 400}\n", "stories.story_threshold must be a finite non-negative float, not 1000"),
    ("similar: 5\n", "unknown key 'similar'"),
    ("- 1\n", "expected a mapping of settings, not list"),
    ("top_k: [1\n", ":2: not valid YAML"),
])
def test_bad_settings_files_name_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=message) as raised:
        load_settings(str(path))
    assert str(raised.value).startswith(str(path))


def test_a_file_changes_only_its_keys_in_any_key_style(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("story_threshold: 0.1\nsimilar.top_k: 4\nrelated:\n  topic_score: 2\n")
    loaded = load_settings(str(path))
    assert loaded.stories.story_threshold == 0.1 and loaded.similar.top_k == 4 and loaded.related.topic_score == 2.0
    assert isinstance(loaded.related.topic_score, float)  # the declared type, not YAML's
    assert {key: value for key, value in loaded.flat().items() if value != Settings().flat()[key]} == {
        "stories.story_threshold": 0.1, "similar.top_k": 4, "related.topic_score": 2.0}
    (tmp_path / "empty.yaml").write_text("")
    assert load_settings(str(tmp_path / "empty.yaml")) == Settings()


def test_toml_files_load_and_a_bad_one_is_one_line(tmp_path):
    good = tmp_path / "settings.toml"
    good.write_text("[stories]\nneighbours = 12\n[syndication]\nmin_containment = 0.9\n")
    assert load_settings(str(good)).stories.neighbours == 12
    assert load_settings(str(good)).syndication.min_containment == 0.9
    bad = tmp_path / "bad.toml"
    bad.write_text("[stories\n")
    with pytest.raises(SettingsError, match=r"bad\.toml: not valid TOML"):
        load_settings(str(bad))


def test_assignments_apply_in_order_and_check_the_value():
    changed = Settings().with_assignments(["stories.neighbours=5", "neighbours=7", "min_similarity=0.5"])
    assert changed.stories.neighbours == 7 and changed.similar.min_similarity == 0.5
    with pytest.raises(SettingsError, match="--set: 'neighbours' is not KEY=VALUE"):
        Settings().with_assignments(["neighbours"])
    with pytest.raises(SettingsError, match=r"stories\.neighbours must be a finite non-negative int, not 2\.5"):
        Settings().with_assignments(["neighbours=2.5"])


def test_settings_are_frozen_and_hashable():
    defaults = Settings()
    with pytest.raises(AttributeError):
        defaults.stories = None  # type: ignore[misc]
    assert len({defaults, Settings(), defaults.with_assignments(["top_k=3"])}) == 2


def test_the_analysis_cache_key_follows_the_settings_it_depends_on():
    base = Settings()
    assert base.cache_key("analysis") != base.with_assignments(["stories.neighbours=5"]).cache_key("analysis")
    assert base.cache_key("analysis") == base.with_assignments(["related.topic_score=5"]).cache_key("analysis")
    assert base.cache_key("parse") == base.with_assignments(["stories.neighbours=5"]).cache_key("parse")


def test_readme_block_is_the_declaration():
    readme = (ROOT / "README.md").read_text()
    assert "```yaml\n" + defaults_yaml() + "```" in readme
    assert len(declared()) == 14 and all(help for _key, _default, help in declared())


def test_settings_command_lists_every_key_and_its_yaml_loads_back(tmp_path):
    table = run("settings")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:2] == ["key", "default"] and len(lines) == 1 + len(declared())
    assert lines[1].split()[:2] == ["stories.story_threshold", "0.05"]
    path = tmp_path / "defaults.yaml"
    path.write_text(run("settings", "--format", "yaml").stdout)
    assert load_settings(str(path)) == Settings()


def test_config_then_set_reach_the_analysis(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[stories]\nstory_threshold = 0.9\n")
    out = tmp_path / "clusters.json"
    result = run("clusters", "-q", "--set", "similar.top_k=3", "--config", str(config), "--set", "story_threshold=0.2",
                 "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    used = json.loads(out.read_text())["settings"]
    assert used["stories.story_threshold"] == 0.2 and used["similar.top_k"] == 3  # the file first, --set after it


@pytest.mark.parametrize("command", [["explore", "-o", "{out}"], ["html", "-o", "{out}"], ["report"], ["clusters"],
                                     ["related", "article:x"], ["evaluate", "{truth}"]])
def test_every_analysing_command_takes_settings(tmp_path, command):
    truth = tmp_path / "truth.json"
    truth.write_text("{}")
    args = [{"{out}": str(tmp_path / "out"), "{truth}": str(truth)}.get(arg, arg) for arg in command]
    result = run(*args, "--set", "nosuch=1")
    assert result.exit_code == 2 and "Invalid value for --set: unknown key 'nosuch'" in result.output


def test_related_scores_follow_their_settings():
    url = "https://www.harborherald.com/politics/2031/03/12/electoral-board-orders-full-recount/index.html"
    default = json.loads(run("related", url, "--top", "1", "--format", "json", "-q").stdout)
    heavier = json.loads(run("related", url, "--top", "1", "--format", "json", "-q",
                             "--set", "related.topic_score=1").stdout)
    assert default["rows"][0]["id"] == heavier["rows"][0]["id"]
    assert heavier["rows"][0]["score"] > default["rows"][0]["score"]


VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=2 ** 1000), st.floats(), st.text(max_size=5),
                   st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.one_of(st.sampled_from([*declared_keys(), "neighbours", "stories", "top_k"]), st.text(max_size=8)),
                       VALUES, max_size=4))
def test_any_mapping_loads_or_is_one_settings_error(values):
    try:
        loaded = Settings.from_mapping(values, "f.yaml")
    except SettingsError as error:
        assert str(error).startswith("f.yaml: ") and "\n" not in str(error) and len(str(error)) < 500
        return
    for key, value in loaded.flat().items():  # what loaded is finite, non-negative and of the declared type
        assert type(value) is type(Settings().flat()[key]) and value >= 0
