"""Open data: every published aggregate of a survey as CSV and JSON, the areas as GeoJSON, and a data dictionary.

The tables come from the same query objects as the results page, the report and the API (`survey_results`,
`gender_comparisons`, `year_comparisons`, `public_mentions`, `situation_picture`, `promise_data`) and pass the same
suppression: a suppressed share is an empty cell, never a number for fewer respondents than the threshold.
Each CSV has a JSON twin (a list of objects with the same keys); `dictionary.csv` explains every column in
Swedish and English, and a test fails when a column is missing from it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from trygg.reports.picture import situation_picture
from trygg.reports.report import basis_results, earlier_survey, published_promise
from trygg.reports.results import ResultsError, gender_comparisons, year_comparisons
from trygg.surveys.mentions import public_mentions
from trygg.surveys.models import Survey
from trygg.tabular import neutralise_cell

# Pins are drawn as clusters of at least ten; their centres are published to about 100 m, no finer.
HOTSPOT_DECIMALS = 3

_COMPARISON = [
    ("first_share", "Andel i den första gruppen (0–1)", "Share in the first group (0–1)"),
    ("second_share", "Andel i den andra gruppen (0–1)", "Share in the second group (0–1)"),
    ("difference", "Första minus andra, i andelar (0,05 = 5 procentenheter)",
     "First minus second, as a fraction (0.05 = 5 percentage points)"),
    ("se", "Skillnadens standardfel", "Standard error of the difference"),
    ("ci_low", "Skillnadens 95 % konfidensintervall, nedre gräns", "Lower bound of the difference's 95% interval"),
    ("ci_high", "Skillnadens 95 % konfidensintervall, övre gräns", "Upper bound of the difference's 95% interval"),
    ("p_value", "p-värde för ingen skillnad (tvåsidigt)", "Two-sided p-value for no difference"),
    ("certain", "true när skillnaden är statistiskt säkerställd (p < 0,05)",
     "true when the difference is statistically certain (p < 0.05)"),
]
_SURVEY = ("survey", "Enkäten, ORG-ÅR", "The survey, ORG-YEAR")
_INDICATOR = ("indicator", "Måttets id i frågebanken", "The indicator's id in the question bank")
_WEIGHTED = ("weighted", "true: viktat efter befolkningen (raking); false: oviktat",
             "true: raked to the population; false: unweighted")

# Every column of every table: (column, Swedish, English). The order is the column order of the CSV.
DICTIONARY: dict[str, list[tuple[str, str, str]]] = {
    "estimates": [
        _SURVEY, _INDICATOR,
        ("label_sv", "Måttets namn på svenska", "The indicator's name in Swedish"),
        ("label_en", "Måttets namn på engelska", "The indicator's name in English"),
        _WEIGHTED,
        ("domain_variable", "Redovisningsgrupp: tom för alla svarande, area (område) eller gender (kön)",
         "Breakdown: empty for all respondents, area or gender"),
        ("domain_value", "Gruppens kod (områdeskod eller kön)", "The group's code (area code or gender)"),
        ("share", "Andel (0–1) av dem som besvarade frågan; tom när den är dold",
         "Share (0–1) of those who answered the question; empty when suppressed"),
        ("se", "Standardfel för andelen", "Standard error of the share"),
        ("ci_low", "95 % konfidensintervall, nedre gräns", "95% confidence interval, lower bound"),
        ("ci_high", "95 % konfidensintervall, övre gräns", "95% confidence interval, upper bound"),
        ("n", "Antal svar bakom andelen (oviktat); tomt när även antalet skulle avslöja en liten grupp",
         "Number of answers behind the share (unweighted); empty when the count itself would reveal a small group"),
        ("n_eff", "Effektivt antal svar (efter vikterna)", "Effective number of answers (after weighting)"),
        ("suppressed", "true när andelen är dold för att den bygger på för få svar",
         "true when the share is suppressed because too few answered"),
    ],
    "gender_comparisons": [_SURVEY, _INDICATOR, _WEIGHTED,
                           ("first", "Första gruppen (kvinna)", "First group (kvinna: women)"),
                           ("second", "Andra gruppen (man)", "Second group (man: men)"), *_COMPARISON],
    "year_comparisons": [_SURVEY, _INDICATOR, _WEIGHTED,
                         ("first", "Året för den här enkäten", "The year of this survey"),
                         ("second", "Året för den tidigare enkäten", "The year of the earlier survey"),
                         *_COMPARISON],
    "mentions": [
        _SURVEY,
        ("slug", "Platsens id i kommunens ortsregister", "The place's id in the organisation's gazetteer"),
        ("name", "Platsens namn", "The place's name"),
        ("kind", "place (plats), area (område) eller theme (tema)", "place, area or theme"),
        ("respondents", "Antal svarande som nämnde platsen (var och en en gång)",
         "Respondents who named the place (each counted once)"),
        ("share", "Andel av alla svarande (0–1)", "Share of all respondents (0–1)"),
    ],
    "mention_breakdowns": [
        _SURVEY,
        ("slug", "Platsens id", "The place's id"),
        ("variable", "gender (kön), time (tid på dygnet) eller area (bostadsområde)",
         "gender, time (time of day) or area (home area)"),
        ("value", "Gruppens kod", "The group's code"),
        ("respondents", "Antal svarande i gruppen som nämnde platsen; tomt när det är dolt",
         "Respondents in the group who named the place; empty when suppressed"),
    ],
    "hotspots": [
        _SURVEY,
        ("count", "Antal markeringar i klustret (minst tio)", "Pins in the cluster (at least ten)"),
        ("radius_m", "Klustrets radie i meter", "The cluster's radius in metres"),
        ("near", "Närmaste namngivna plats eller område", "The nearest named place or area"),
        ("lat", "Klustrets mittpunkt, latitud (WGS84, tre decimaler)", "Centre latitude (WGS84, three decimals)"),
        ("lon", "Klustrets mittpunkt, longitud (WGS84, tre decimaler)", "Centre longitude (WGS84, three decimals)"),
    ],
    "picture_areas": [
        _SURVEY,
        ("area", "Områdets kod", "The area's code"),
        ("name", "Områdets namn", "The area's name"),
        ("population", "Invånare (befolkningsuppgift för viktning); tomt när den saknas",
         "Residents (population margin); empty when unknown"),
        ("not_safe_share", "Andel som inte är trygga i sitt bostadsområde (0–1); tom när den är dold",
         "Share not safe in their residential area (0–1); empty when suppressed"),
        ("own_incidents", "Kommunens egna registrerade händelser i området under enkätåret",
         "The organisation's own recorded incidents in the area during the survey year"),
        ("rate_per_1000", "Egna händelser per 1 000 invånare", "Own incidents per 1,000 residents"),
        ("quadrant", "Otrygghet × händelser jämfört med kommunen: fear_only, incidents_only, both, neither",
         "Fear × incidents against the municipality: fear_only, incidents_only, both, neither"),
    ],
    "promise_activities": [
        ("promise", "Medborgarlöftet, ORG-ÅR", "The citizen promise, ORG-YEAR"),
        ("party", "gemensamt, kommunen eller polisen", "gemensamt (both), kommunen (municipality) or polisen"),
        ("commitment", "Åtagandet", "The commitment"),
        ("number", "Aktivitetens nummer", "The activity's number"),
        ("activity", "Aktiviteten", "The activity"),
        ("places", "Platser, åtskilda med |", "Places, separated by |"),
        ("quantity", "Planerad mängd", "Planned quantity"),
        ("unit", "Enhet för mängden", "Unit of the quantity"),
        ("delivered", "Genomförd mängd", "Delivered quantity"),
        ("status", "Aktivitetens status", "The activity's status"),
        ("percent", "Procent genomfört", "Percent done"),
    ],
    "areas.geojson": [
        ("code", "Områdets kod (egenskap)", "The area's code (property)"),
        ("name", "Områdets namn (egenskap)", "The area's name (property)"),
        ("schematic", "true när gränsen är en skiss, inte en officiell gräns",
         "true when the boundary is a sketch, not an official boundary"),
    ],
    "metadata": [
        _SURVEY,
        ("organisation", "Organisationens namn", "The organisation's name"),
        ("year", "Enkätåret", "The survey year"),
        ("respondents", "Antal svarande", "Number of respondents"),
        ("min_n", "Minsta antal svar bakom en publicerad andel", "Smallest number of answers behind a published share"),
        ("weighted_available", "true när viktade andelar finns", "true when weighted shares are given"),
        ("open_to_all", "true: enkäten var öppen för alla, inte ett slumpmässigt urval",
         "true: the survey was open to all, not a random sample"),
    ],
    "dictionary": [
        ("file", "Filen (utan .csv/.json)", "The file (without .csv/.json)"),
        ("column", "Kolumnen", "The column"),
        ("description_sv", "Förklaring på svenska", "Explanation in Swedish"),
        ("description_en", "Förklaring på engelska", "Explanation in English"),
    ],
}


def _columns(table: str) -> list[str]:
    return [c for c, _, _ in DICTIONARY[table]]


def _estimates(survey: Survey, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = {ind.id: ind.label for ind in survey.bank.indicators}
    rows = []
    for data in results:
        for e in data["estimates"]:
            (variable, value), = e["domain"].items() if e["domain"] else [("", "")]
            rows.append({"survey": survey.slug, "indicator": e["indicator"], "label_sv": labels[e["indicator"]]["sv"],
                         "label_en": labels[e["indicator"]]["en"], "weighted": data["weighted"],
                         "domain_variable": variable, "domain_value": value,
                         **{k: e[k] for k in ("share", "se", "ci_low", "ci_high", "n", "n_eff", "suppressed")}})
    return rows


def _comparisons(survey: Survey, comparisons: list[dict[str, Any]], weighted: bool) -> list[dict[str, Any]]:
    return [{"survey": survey.slug, "indicator": c["indicator"], "weighted": weighted,
             "first": next(iter(c["first"].values())), "second": next(iter(c["second"].values())),
             **{k: c[k] for k, _, _ in _COMPARISON}} for c in comparisons]


def _mentions(survey: Survey, mentions: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    places: list[dict[str, Any]] = []
    breakdowns: list[dict[str, Any]] = []
    for p in mentions["places"]:
        places.append({"survey": survey.slug, **{k: p[k] for k in ("slug", "name", "kind", "respondents", "share")}})
        for variable, key in (("gender", "by_gender"), ("time", "by_time"), ("area", "by_area")):
            breakdowns.extend({"survey": survey.slug, "slug": p["slug"], "variable": variable, "value": value,
                               "respondents": n} for value, n in p[key])
    return places, breakdowns


def _picture_areas(survey: Survey) -> list[dict[str, Any]]:
    picture = situation_picture(survey)
    return [{"survey": survey.slug, "area": a.area, "name": a.name, "population": a.population,
             "not_safe_share": a.fear["share"], "own_incidents": a.incidents_total,
             "rate_per_1000": a.rate_per_1000, "quadrant": a.quadrant["kind"]} for a in picture.areas]


def _promise(survey: Survey) -> list[dict[str, Any]]:
    data = published_promise(survey)
    if data is None:
        return []
    return [{"promise": data["promise"], "party": c["party"], "commitment": c["text"], "number": a["number"],
             "activity": a["text"], "places": "|".join(a["places"]), "quantity": a["quantity"], "unit": a["unit"],
             "delivered": a["delivered"], "status": a["status"], "percent": a["percent"]}
            for c in data["commitments"] for a in c["activities"]]


def opendata_tables(survey: Survey) -> dict[str, Any]:
    """The tables (lists of dicts keyed by DICTIONARY's columns), the metadata and the areas' GeoJSON."""
    unweighted, weighted = basis_results(survey)
    results = [unweighted] + ([weighted] if weighted else [])
    gender = _comparisons(survey, gender_comparisons(survey), False)
    if weighted:
        gender += _comparisons(survey, gender_comparisons(survey, weighted=True), True)
    earlier = earlier_survey(survey)
    years: list[dict[str, Any]] = []
    if earlier is not None:
        years = _comparisons(survey, year_comparisons(survey, earlier), False)
        if weighted:
            try:
                years += _comparisons(survey, year_comparisons(survey, earlier, weighted=True), True)
            except ResultsError:
                pass  # the earlier survey cannot be raked: its unweighted comparison stands alone
    mentions = public_mentions(survey, unweighted["min_n"])
    places, breakdowns = _mentions(survey, mentions)
    hotspots = [{"survey": survey.slug, "count": h.count, "radius_m": round(h.radius_m),
                 "near": listed["near"], "lat": round(h.lat, HOTSPOT_DECIMALS), "lon": round(h.lon, HOTSPOT_DECIMALS)}
                for h, listed in zip(mentions["hotspots"], mentions["hotspot_list"], strict=True)]
    org = survey.organisation
    features = [{"type": "Feature", "geometry": geometry,
                 "properties": {"code": code, "name": name, "schematic": schematic}}
                for code, name, schematic, geometry in
                org.areas.order_by("code").values_list("code", "name", "schematic", "geometry")]
    tables = {"estimates": _estimates(survey, results), "gender_comparisons": gender, "year_comparisons": years,
              "mentions": places, "mention_breakdowns": breakdowns, "hotspots": hotspots,
              "picture_areas": _picture_areas(survey), "promise_activities": _promise(survey),
              "dictionary": [{"file": table, "column": c, "description_sv": sv, "description_en": en}
                             for table, columns in DICTIONARY.items() for c, sv, en in columns]}
    metadata = {"survey": survey.slug, "organisation": org.name, "year": survey.year,
                "respondents": unweighted["respondents"], "min_n": unweighted["min_n"],
                "weighted_available": weighted is not None, "open_to_all": True}
    return {"tables": tables, "metadata": metadata,
            "areas": {"type": "FeatureCollection", "features": features}}


def _csv(table: str, rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_columns(table))
    for row in rows:
        writer.writerow(["" if (v := row[c]) is None else neutralise_cell(v) if isinstance(v, str)
                         else str(v).lower() if isinstance(v, bool) else v for c in _columns(table)])
    return out.getvalue().encode("utf-8")


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def opendata_files(survey: Survey) -> dict[str, bytes]:
    """File name → content: TABLE.csv and TABLE.json for each table, metadata.json, areas.geojson."""
    data = opendata_tables(survey)
    files: dict[str, bytes] = {}
    for table, rows in data["tables"].items():
        files[f"{table}.csv"] = _csv(table, rows)
        files[f"{table}.json"] = _json(rows)
    files["metadata.json"] = _json(data["metadata"])
    files["areas.geojson"] = _json(data["areas"])
    return files


def write_opendata(survey: Survey, folder: Path) -> list[Path]:
    """Write the open data into `folder` (created when missing); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in opendata_files(survey).items():
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


def opendata_zip(survey: Survey) -> bytes:
    """The same files in one zip archive, in a folder named after the survey."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in opendata_files(survey).items():
            archive.writestr(f"{survey.slug}/{name}", content)
    return out.getvalue()
