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


def load_mapping(mappings_dir: Path, name: str | None) -> MappingProfile:
    if not name:
        return MappingProfile()
    path = mappings_dir / f"{name}.toml"
    if not path.is_file():
        raise ConfigError(path, [f"mapping profile {name!r} not found in {mappings_dir}"])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return MappingProfile.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    except ValidationError as exc:
        raise ConfigError(path, [describe_error(e, MappingProfile) for e in exc.errors()]) from None
