"""``order-gateway check``: each configuration mistake is found before work starts, named
with its key, its value, what was expected and the nearest valid name."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.catalog.importer import Kind, import_file
from gateway.config.check import Problem, Severity, check_workspace
from gateway.workspace import Workspace
from tests.gateway.conftest import CONFIG, GLN_C1, build_workspace


def checked(tmp_path: Path, extra: str = "", *, mappings: dict[str, str] | None = None):  # noqa: ANN201
    """The problems of the test workspace with ``extra`` TOML appended."""
    ws = build_workspace(tmp_path / "ws", config=CONFIG + extra)
    ws.mappings_dir.mkdir(exist_ok=True)
    for name, text in (mappings or {}).items():
        (ws.mappings_dir / f"{name}.toml").write_text(text, encoding="utf-8")
    try:
        return check_workspace(ws, environ={}).problems
    finally:
        ws.close()


def test_the_test_workspace_has_no_problem_on_either_database(workspace: Workspace) -> None:
    report = check_workspace(workspace, environ={})
    assert report.problems == []
    assert (report.partners, report.customers, report.sites) == (5, 2, 2)


def test_a_misspelt_mapping_profile_is_an_error_naming_the_nearest(tmp_path: Path) -> None:
    extra = '[partners.epicerie]\nname = "E"\nmapping = "excel-frr"\n'
    grants = 'grants = [{ customer = "C1", site = "S1" }]\n'
    [problem] = checked(tmp_path, extra + grants, mappings={"excel-fr": "", "eancom": ""})
    assert (problem.key, problem.value, problem.nearest) == (
        "partners.epicerie.mapping",
        "excel-frr",
        "excel-fr",
    )
    assert problem.severity is Severity.ERROR
    assert str(problem).startswith(
        "partners.epicerie.mapping = 'excel-frr': expected the name of a profile NAME.toml in "
    )
    assert str(problem).endswith("(there: eancom, excel-fr); did you mean 'excel-fr'?")


def test_a_mapping_profile_that_does_not_read_is_an_error_naming_its_key(tmp_path: Path) -> None:
    extra = '[partners.epicerie]\nname = "E"\nmapping = "fr"\n'
    [problem] = checked(tmp_path, extra, mappings={"fr": '[spreadsheet]\ndelimitr = ";"\n'})
    assert str(problem) == (
        "partners.epicerie.mapping = 'fr': expected a profile that reads without errors; "
        "mappings/fr.toml: spreadsheet.delimitr: unknown key; did you mean 'delimiter'?"
    )


def test_a_grant_to_an_unknown_customer_is_an_error(tmp_path: Path) -> None:
    extra = '[partners.x]\nname = "X"\ngrants = [{ customer = "C01", site = "S1" }]\n'
    [problem] = checked(tmp_path, extra)
    assert str(problem) == (
        "partners.x.grants.0.customer = 'C01': expected the code of a customer of the "
        "database (there: C1, C2); did you mean 'C1'?"
    )


def test_a_grant_to_an_unknown_site_is_an_error(tmp_path: Path) -> None:
    extra = '[partners.x]\nname = "X"\ngrants = [{ customer = "C1", site = "LYON" }]\n'
    [problem] = checked(tmp_path, extra)
    assert (problem.key, problem.value) == ("partners.x.grants.0.site", "LYON")


def test_a_grant_by_code_in_another_case_names_the_code_as_written(tmp_path: Path) -> None:
    # A grant is compared by code exactly: "c1" would never match a file's C1.
    extra = '[partners.x]\nname = "X"\ngrants = [{ customer = "c1", site = "S1" }]\n'
    [problem] = checked(tmp_path, extra)
    assert problem.nearest == "C1"


def test_an_unknown_default_site_is_an_error_naming_the_known_sites(tmp_path: Path) -> None:
    extra = '[partners.x]\nname = "X"\ndefault_site = "S3"\ngrants = [{ customer = "C1", site = "S1" }]\n'  # noqa: E501
    [problem] = checked(tmp_path, extra)
    assert str(problem) == (
        "partners.x.default_site = 'S3': expected the code, GLN or name of a site of the "
        "database (there: S1, S2)"
    )


@pytest.mark.parametrize("written", ["C1", "c1", GLN_C1, "corner shop"])
def test_a_default_customer_may_be_its_code_gln_or_name(tmp_path: Path, written: str) -> None:
    extra = f'[partners.x]\nname = "X"\ndefault_customer = "{written}"\n'
    extra += 'grants = [{ customer = "C1", site = "S1" }]\n'
    problems = checked(tmp_path, extra)
    assert [p for p in problems if p.severity is Severity.ERROR] == []


def test_a_default_customer_the_partner_holds_no_grant_for_is_a_warning(tmp_path: Path) -> None:
    extra = '[partners.x]\nname = "X"\ndefault_customer = "C2"\n'
    extra += 'grants = [{ customer = "C1", site = "S1" }]\n'
    [problem] = checked(tmp_path, extra)
    assert problem.severity is Severity.WARNING
    assert problem.key == "partners.x.default_customer" and "not_granted" in problem.expected


def test_defaults_and_parties_of_a_mapping_profile_are_checked(tmp_path: Path) -> None:
    extra = '[partners.x]\nname = "X"\nmapping = "x"\ngrants = [{ customer = "C1", site = "S1" }]\n'
    profile = (
        '[spreadsheet]\ndefaults = { customer = "C1", site = "S9" }\n'
        '[edi]\nparties = { "5412345000013" = "C11" }\n'
    )
    problems = checked(tmp_path, extra, mappings={"x": profile})
    assert [(p.key, p.value) for p in problems] == [
        ("mappings/x.toml: spreadsheet.defaults.site", "S9"),
        ("mappings/x.toml: edi.parties.5412345000013", "C11"),
    ]


def test_imported_grants_of_a_partner_no_longer_configured_are_a_warning(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws")
    grants = tmp_path / "grants.csv"
    grants.write_text("partner;customer;site\nshoop;C1;S1\n", encoding="utf-8")
    with ws.sessions.begin() as s:  # imported while "shoop" was still configured
        import_file(s, Kind.GRANTS, grants, partners=["shoop"])
    try:
        [problem] = check_workspace(ws, environ={}).problems
    finally:
        ws.close()
    assert problem == Problem(
        "grants (imported)",
        "shoop",
        "a partner of gateway.toml; its imported grants are not used",
        "shop",
        Severity.WARNING,
    )


def sftp_partner(tmp_path: Path, **settings: str) -> str:
    lines = "".join(f'{k} = "{v}"\n' for k, v in settings.items())
    return (
        '[partners.remote]\nname = "Remote"\nchannel = "sftp"\n'
        'grants = [{ customer = "C1", site = "S1" }]\n'
        f'[partners.remote.sftp]\nhost = "sftp.example"\nuser = "u"\n{lines}'
    )


def test_an_sftp_key_file_that_is_not_there_is_an_error(tmp_path: Path) -> None:
    hosts = tmp_path / "known_hosts"
    hosts.write_text("sftp.example ssh-ed25519 AAAA\n")
    extra = sftp_partner(tmp_path, key_file=str(tmp_path / "nokey"), known_hosts=str(hosts))
    [problem] = checked(tmp_path, extra)
    assert str(problem) == (
        f"partners.remote.sftp.key_file = '{tmp_path / 'nokey'}': expected a readable "
        "private key (no such file)"
    )


def test_pinned_host_keys_that_are_not_there_are_an_error_saying_how_to_add_them(tmp_path):
    key = tmp_path / "id_ed25519"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    [problem] = checked(tmp_path, sftp_partner(tmp_path, key_file=str(key)))
    assert problem.key == "partners.remote.sftp.known_hosts"
    assert problem.value == str(tmp_path / "ws" / "known_hosts")  # the workspace's default
    assert "ssh-keyscan -p 22 sftp.example" in problem.expected


def test_a_password_variable_that_is_not_set_is_an_error(tmp_path: Path) -> None:
    hosts = tmp_path / "known_hosts"
    hosts.write_text("sftp.example ssh-ed25519 AAAA\n")
    extra = sftp_partner(tmp_path, password_env="REMOTE_SFTP_PASSWORD", known_hosts=str(hosts))
    [problem] = checked(tmp_path, extra)
    assert (problem.key, problem.value) == (
        "partners.remote.sftp.password_env",
        "REMOTE_SFTP_PASSWORD",
    )
    ws = Workspace.open(tmp_path / "ws")
    try:
        set_ = check_workspace(ws, environ={"REMOTE_SFTP_PASSWORD": "s3cret"})
    finally:
        ws.close()
    assert set_.problems == []


def test_a_database_that_cannot_be_opened_is_one_problem_without_its_password(tmp_path: Path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "gateway.toml").write_text(
        '[gateway]\ndatabase = "postgresql+psycopg://gw:s3cret@127.0.0.1:1/gw"\n' + CONFIG
    )
    ws = Workspace.open(root)
    try:
        [problem] = check_workspace(ws, environ={}).problems
    finally:
        ws.close()
    assert (problem.key, problem.value) == (
        "gateway.database",
        "postgresql+psycopg://gw:***@127.0.0.1:1/gw",
    )
    assert "s3cret" not in str(problem)
