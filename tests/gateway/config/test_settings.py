"""gateway.toml validation: every error names the key and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.config.settings import ConfigError, UnknownPartner, load_config


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


def test_unknown_key_is_reported_with_its_path_and_the_nearest_valid_key(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, '[partners.acme]\nname = "ACME"\ngrant = []\n')
    assert exc.value.problems == ["partners.acme.grant: unknown key; did you mean 'grants'?"]


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ("[gateway]\ndatabse = 'x'\n", "gateway.databse: unknown key; did you mean 'database'?"),
        ("[suplier]\nname = 'x'\n", "suplier: unknown key; did you mean 'supplier'?"),
        (
            '[partners.acme]\nname = "A"\ngrants = [{ customer = "C1", site = "S1", sight = 1 }]\n',
            "partners.acme.grants.0.sight: unknown key; did you mean 'site'?",
        ),
        (
            '[partners.acme]\nname = "A"\nchannel = "sftp"\n[partners.acme.sftp]\nhost = "h"\n'
            'user = "u"\nkey_file = "k"\npol_interval = 5\n',
            "partners.acme.sftp.pol_interval: unknown key; did you mean 'poll_interval'?",
        ),
    ],
)
def test_an_unknown_key_anywhere_gets_the_nearest_key_of_its_own_table(tmp_path, toml, problem):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, toml)
    assert exc.value.problems == [problem]


def test_an_unknown_key_with_nothing_near_points_to_the_reference(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, '[partners.acme]\nname = "ACME"\nxyzzy = 1\n')
    assert exc.value.problems == [
        "partners.acme.xyzzy: unknown key (see the README for the valid keys)"
    ]


def test_a_quoted_boolean_is_refused_naming_what_is_expected(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, '[partners.acme]\nname = "ACME"\nauto_validate = "yes"\n')
    assert exc.value.problems == [
        "partners.acme.auto_validate: expected true or false (a TOML boolean, without "
        "quotes), got 'yes'"
    ]


@pytest.mark.parametrize(
    "key", ["auto_validate", "functional_acks", "rejection_report", "done_marker", "status_reports"]
)
def test_every_partner_switch_is_a_strict_boolean(tmp_path, key):
    with pytest.raises(ConfigError, match=f"partners.acme.{key}: expected true or false"):
        load(tmp_path, f'[partners.acme]\nname = "ACME"\n{key} = 1\n')


def test_a_time_that_is_not_hh_mm_gets_a_sentence_not_a_pattern(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, '[partners.acme]\nname = "ACME"\ndigest_at = "7h00"\n')
    assert exc.value.problems == [
        "partners.acme.digest_at: expected a time of day as HH:MM on the 24-hour clock, "
        'e.g. "07:00" or "18:30", got \'7h00\''
    ]


@pytest.mark.parametrize(("written", "read"), [("07:00", "07:00"), ("7:05", "07:05")])
def test_a_time_of_day_is_kept_as_hh_mm(tmp_path, written, read):
    cfg = load(tmp_path, f'[partners.acme]\nname = "ACME"\ndigest_at = "{written}"\n')
    assert cfg.partner("acme").digest_at == read


def test_a_misspelt_choice_gets_the_nearest_valid_one(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, '[partners.acme]\nname = "ACME"\nreply_formats = ["edifakt"]\n')
    assert exc.value.problems == [
        "partners.acme.reply_formats.0: input should be 'auto', 'csv', 'xlsx', 'edifact' or "
        "'x12', got 'edifakt'; did you mean 'edifact'?"
    ]


def test_an_unknown_partner_is_named_with_the_nearest_configured_one(tmp_path):
    cfg = load(tmp_path, '[partners.shop]\nname = "Shop"\n[partners.hotel]\nname = "Hotel"\n')
    with pytest.raises(UnknownPartner) as exc:
        cfg.partner("shpo")
    assert (
        str(exc.value) == "unknown partner 'shpo' (configured: hotel, shop); did you mean 'shop'?"
    )


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
    assert exc.value.problems == ["spreadsheet.delimitr: unknown key; did you mean 'delimiter'?"]


def test_the_erp_feed_may_not_overlap_a_partners_inbox(tmp_path):
    for inbox in ("inbox/_erp", "inbox", "inbox/_erp/acme"):
        text = f'[partners.acme]\nname = "ACME"\ninbox = "{inbox}"\n'
        with pytest.raises(ConfigError, match="erp_feed_dir 'inbox/_erp' and the inbox"):
            load(tmp_path, text)


def test_the_erp_feed_folder_can_live_outside_the_partners_tree(tmp_path):
    cfg = load(tmp_path, '[gateway]\nerp_feed_dir = "/srv/erp-feed"\n[partners.acme]\nname = "A"\n')
    assert cfg.gateway.erp_feed_dir == "/srv/erp-feed"
