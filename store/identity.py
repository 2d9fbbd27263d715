"""Who is acting: the identity every store operation takes, and the roles it can hold.

An `Identity` is a snapshot for the user interface (which pages to show). The store itself re-reads the
account's current roles inside each operation, so a disabled account or a withdrawn role takes effect at
once, whatever snapshot a long-lived session still holds.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

NATIONAL_ROLES = ("admin", "analyst")
REGIONAL_ROLES = ("lead", "respondent", "viewer")


class RegionRoles(Mapping[str, str]):
    """region code → regional role; immutable and hashable so an Identity can key a cache."""

    __slots__ = ("_roles",)

    def __init__(self, roles: Mapping[str, str] | None = None):
        self._roles = dict(sorted((roles or {}).items()))

    def __getitem__(self, code: str) -> str:
        return self._roles[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._roles)

    def __len__(self) -> int:
        return len(self._roles)

    def __hash__(self) -> int:
        return hash(tuple(self._roles.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._roles) == dict(other)

    def __repr__(self) -> str:
        return f"RegionRoles({self._roles!r})"

    def __reduce__(self):
        return (RegionRoles, (self._roles,))


@dataclass(frozen=True)
class Identity:
    user_id: int | None
    email: str
    name: str
    national_role: str | None = None  # "admin" | "analyst" | None
    regions: Mapping[str, str] = field(default_factory=RegionRoles)  # region code → "lead" | "respondent" | "viewer"
    respondent_ids: frozenset[int] = frozenset()  # respondent sheets this person may answer
    system: bool = False  # the local system identity of the command line (shell access = admin)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regions", RegionRoles(self.regions))
        object.__setattr__(self, "respondent_ids", frozenset(self.respondent_ids))

    @property
    def is_admin(self) -> bool:
        return self.national_role == "admin"

    @property
    def is_national(self) -> bool:
        return self.national_role in NATIONAL_ROLES

    def role_in(self, region: str) -> str | None:
        return self.regions.get(region)

    def leads(self, region: str) -> bool:
        return self.regions.get(region) == "lead"

    def lead_regions(self) -> tuple[str, ...]:
        return tuple(code for code, role in self.regions.items() if role == "lead")


def system_identity(who: str | None = None) -> Identity:
    """The command line's identity: whoever has shell access to the server is its administrator."""
    try:
        login = who or getpass.getuser()
    except Exception:  # no login name in some containers; the audit log still says it was the shell
        login = "okänd"
    return Identity(user_id=None, email=f"system:{login}", name=f"mognad CLI ({login})",
                    national_role="admin", system=True)
