"""Small files in the official layouts, written by the tests."""

from __future__ import annotations

import csv
from pathlib import Path

from healthtrainer.deprivation.importers import FILE7_LAYOUTS, IMD_DECILE, IMD_RANK, IMD_SCORE
from healthtrainer.deprivation.models import Edition

# Some of the many other columns of File 7, which the import ignores.
DOMAIN_COLUMNS = [
    "Income Score (rate)",
    "Income Rank (where 1 is most deprived)",
    "Income Decile (where 1 is most deprived 10% of LSOAs)",
    "Employment Score (rate)",
    "Employment Rank (where 1 is most deprived)",
    "Living Environment Decile (where 1 is most deprived 10% of LSOAs)",
    "Total population: mid 2015 (excluding prisoners)",
]

ONSPD_COLUMNS = ["pcd", "pcd2", "pcds", "dointr", "doterm", "usertype", "oseast1m", "laua"]


def lsoa(
    code: str,
    rank: int | str,
    decile: int | str,
    *,
    score: str = "30.125",
    local_authority: tuple[str, str] = ("E08000019", "Sheffield"),
    name: str | None = None,
) -> dict[str, str]:
    return {
        "code": code,
        "name": name or f"{local_authority[1]} {code[-4:]}A",
        "la_code": local_authority[0],
        "la_name": local_authority[1],
        "score": score,
        "rank": str(rank),
        "decile": str(decile),
    }


def write_file7(
    path: Path,
    edition: str,
    rows: list[dict[str, str]],
    *,
    bom: bool = False,
    without: tuple[str, ...] = (),
) -> Path:
    """A File 7 CSV of the edition's layout, with domain columns around the IMD ones."""
    layout = FILE7_LAYOUTS[Edition(edition)]
    header = [
        layout.lsoa_code,
        layout.lsoa_name,
        layout.local_authority_code,
        layout.local_authority_name,
        IMD_SCORE,
        IMD_RANK,
        IMD_DECILE,
        *DOMAIN_COLUMNS,
    ]
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow([column for column in header if column not in without])
        for row in rows:
            cells = dict(
                zip(
                    header,
                    [
                        row["code"],
                        row["name"],
                        row["la_code"],
                        row["la_name"],
                        row["score"],
                        row["rank"],
                        row["decile"],
                        "0.123",
                        row["rank"],
                        row["decile"],
                        "0.087",
                        "999",
                        "7",
                        "1650",
                    ],
                    strict=True,
                )
            )
            writer.writerow([cells[column] for column in header if column not in without])
    return path


def write_onspd(
    path: Path,
    rows: list[tuple[str, str, str, str]],
    *,
    lsoa_columns: tuple[str, ...] = ("lsoa11", "lsoa21"),
    bom: bool = False,
) -> Path:
    """An ONSPD-layout CSV: rows of (pcds, lsoa11, lsoa21, doterm), all values quoted."""
    header = [*ONSPD_COLUMNS, *lsoa_columns, "lat", "long"]
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        writer = csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        for pcds, lsoa11, lsoa21, doterm in rows:
            outward, inward = pcds.split()
            codes = {"lsoa11": lsoa11, "lsoa21": lsoa21}
            writer.writerow(
                [
                    f"{outward:<4}{inward}",
                    f"{outward:<5}{inward}",
                    pcds,
                    "199001",
                    doterm,
                    "0",
                    "435000",
                    "E08000019",
                    *(codes[column] for column in lsoa_columns),
                    "53.38",
                    "-1.47",
                ]
            )
    return path
