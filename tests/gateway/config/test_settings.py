"""gateway.toml validation: every error names the key and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.config.settings import ConfigError, load_config


def load(tmp_path: Path, text: str):  # noqa: ANN201
    path = tmp_path / "gateway.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_partner_needs_only_a_name_and_gets_defaults(tmp_path):
    cfg = load(tmp_path, '[partners.acme]\nname = "ACME"\n')
    p = cfg.partner("acme")
    assert (p.channel, p.language, p.auto_validate, p.quantity_policy) == (
        "folder",
        "en",
        False,
        "reject",
    )


def test_wrong_value_names_the_key(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, '[partners.acme]\nname = "ACME"\nlanguage = "de"\n')
    assert any(p.startswith("partners.acme.language") for p in exc.value.problems)
    assert "'de'" in str(exc.value)


def test_unknown_key_is_reported_with_its_path(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, '[partners.acme]\nname = "ACME"\ngrant = []\n')
    assert exc.value.problems == [
        "partners.acme.grant: unknown key (check the spelling; see the README's config reference)"
    ]


def test_missing_name_is_reported(tmp_path):
    with pytest.raises(ConfigError, match=r"partners\.acme\.name: required key is missing"):
        load(tmp_path, "[partners.acme]\nlanguage = 'fr'\n")


def test_grant_must_have_customer_and_site(tmp_path):
    with pytest.raises(ConfigError, match=r"partners\.acme\.grants\.0\.site"):
        load(tmp_path, '[partners.acme]\nname = "A"\ngrants = [{ customer = "C1" }]\n')


def test_not_toml_says_where(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML.*line 1"):
        load(tmp_path, "[partners.acme\n")


def test_partner_ids_reserved_for_the_gateway_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="_erp"):
        load(tmp_path, '[partners._erp]\nname = "x"\n')


def test_example_mapping_profiles_in_the_repo_are_valid():
    from gateway.config.mapping import load_mapping

    folder = Path(__file__).resolve().parents[3] / "mappings"
    names = [p.stem for p in folder.glob("*.toml")]
    assert names
    for name in names:
        load_mapping(folder, name)


def test_mapping_profile_error_names_file_and_key(tmp_path):
    from gateway.config.mapping import load_mapping

    (tmp_path / "bad.toml").write_text('[spreadsheet]\ndelimitr = ";"\n')
    with pytest.raises(ConfigError) as exc:
        load_mapping(tmp_path, "bad")
    assert exc.value.path.name == "bad.toml"
    assert exc.value.problems[0].startswith("spreadsheet.delimitr: unknown key")


def test_the_erp_feed_may_not_overlap_a_partners_inbox(tmp_path):
    for inbox in ("inbox/_erp", "inbox", "inbox/_erp/acme"):
        text = f'[partners.acme]\nname = "ACME"\ninbox = "{inbox}"\n'
        with pytest.raises(ConfigError, match="erp_feed_dir 'inbox/_erp' and the inbox"):
            load(tmp_path, text)


def test_the_erp_feed_folder_can_live_outside_the_partners_tree(tmp_path):
    cfg = load(tmp_path, '[gateway]\nerp_feed_dir = "/srv/erp-feed"\n[partners.acme]\nname = "A"\n')
    assert cfg.gateway.erp_feed_dir == "/srv/erp-feed"
