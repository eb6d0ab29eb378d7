"""Partner mapping profiles: ``mappings/NAME.toml`` in the workspace. Data, not code.

```toml
[spreadsheet]            # parsers.tabular.TabularProfile: aliases, columns, defaults…
delimiter = ";"
aliases = { quantity = ["Qté cdée"] }
columns = { barcode = "C" }
defaults = { customer = "C001" }

[edi]                    # GLN or id as sent → our customer / site code
parties = { "5450534000024" = "C001" }
```
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gateway.config.settings import ConfigError, describe_error
from parsers.columns import TabularProfile


class EdiProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    #: A party id as sent (GLN, buyer code) → our customer or site code
    parties: dict[str, str] = Field(default_factory=dict)


class MappingProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    spreadsheet: TabularProfile = Field(default_factory=TabularProfile)
    edi: EdiProfile = Field(default_factory=EdiProfile)


#: Profiles read, by path: the file's identity when read (inode, size, mtime), the profile
_READ: dict[Path, tuple[tuple[int, int, int, int], MappingProfile]] = {}


def load_mapping(mappings_dir: Path, name: str | None) -> MappingProfile:
    """The partner's profile, parsed and validated once until its file changes (every
    file of a partner asks for it; an edited or replaced profile is read again).

    The profile returned is shared by those callers: read it, never change it."""
    if not name:
        return MappingProfile()
    path = mappings_dir / f"{name}.toml"
    try:
        st = path.stat()
    except OSError:
        st = None
    if st is None or not path.is_file():
        _READ.pop(path, None)
        raise ConfigError(path, [f"mapping profile {name!r} not found in {mappings_dir}"])
    # ctime too: an edit in place within the file system's mtime tick, or an editor that
    # puts the old mtime back, keeps size and mtime, but every write moves the ctime.
    seen = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if (known := _READ.get(path)) is not None and known[0] == seen:
        return known[1]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        profile = MappingProfile.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    except ValidationError as exc:
        raise ConfigError(path, [describe_error(e, MappingProfile) for e in exc.errors()]) from None
    _READ[path] = (seen, profile)
    return profile
