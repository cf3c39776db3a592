"""States and organisations the importer knows before anyone records them: every state in ISO 3166-1
(pycountry), with the names its government goes by and its demonym, and the main international
organisations and governments' organs (data/world.yaml, which says where each comes from).

They are `NamedRecord`s with negative ids: a mention of one proposes a new actor of the right kind
and affiliation, unless an actor already recorded goes by one of its spellings, which then stands
for it (the recorded "Russian Federation" is the Kremlin's too).
"""

import functools
from pathlib import Path

import pycountry
import yaml

from claims.choices import ActorKind

from .names import NamedRecord, plain

WORLD_FILE = Path(__file__).with_name("data") / "world.yaml"
# ISO 3166 names that news copy mostly uses for something else: a US state ("Georgia", "New
# Jersey"), a first name ("Chad", "Jordan"), a bird ("Turkey", written "Türkiye" in the data file).
AMBIGUOUS_NAMES = frozenset(["georgia", "jordan", "chad", "jersey", "guernsey", "turkey", "niger"])


@functools.cache
def world_records():
    """The states and organisations, each with its spellings and demonyms; ids from -1 down."""
    data = yaml.safe_load(WORLD_FILE.read_text(encoding="utf-8"))
    records, by_code = [], {}
    next_id = -1
    for country in pycountry.countries:
        extra = (data["states"] or {}).get(country.alpha_2, {})
        names = [*extra.get("names", [])]
        for attribute in ("common_name", "name", "official_name"):
            name = getattr(country, attribute, None)
            if name and "," not in name and plain(name) not in AMBIGUOUS_NAMES and name not in names:
                names.append(name)
        if not names:
            continue
        record = NamedRecord(
            record_id=next_id,
            name=names[0] if extra else getattr(country, "common_name", None) or names[0],
            spellings=names,
            kind=ActorKind.STATE,
            demonyms=list(extra.get("demonyms", [])),
        )
        by_code[country.alpha_2] = record
        records.append(record)
        next_id -= 1
    for organization in data["organizations"]:
        affiliation = by_code.get(organization.get("affiliation") or "")
        records.append(
            NamedRecord(
                record_id=next_id,
                name=organization["name"],
                spellings=[organization["name"], *organization.get("aliases", [])],
                kind=ActorKind.ORGANIZATION,
                affiliation_id=affiliation.record_id if affiliation else None,
            )
        )
        next_id -= 1
    return records
