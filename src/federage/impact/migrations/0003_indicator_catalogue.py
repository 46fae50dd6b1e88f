"""Seeds the built-in indicator catalogue and a first set of emission factors.

Codes are stable ids; references point at IRIS+ (GIIN), the EU taxonomy's objectives and the SDG
targets, never used as our own keys. Emission factors are entered by hand from ADEME's Base
Empreinte (version noted), each with its source: the values are frozen here, not imported.
"""

from decimal import Decimal

from django.db import migrations

INDICATORS = [
    # code, label fr, label en, unit, direction, references, theme
    (
        "ghg_avoided",
        "Émissions de GES évitées",
        "GHG emissions avoided",
        "tCO2e",
        "increase",
        {"iris": "OI4862", "eu": "CCM", "sdg": "13.2"},
        "climat",
    ),
    (
        "ghg_emissions",
        "Émissions de GES",
        "GHG emissions",
        "tCO2e",
        "decrease",
        {"iris": "OI1479"},
        "climat",
    ),
    (
        "energy_saved",
        "Énergie économisée",
        "Energy saved",
        "kWh",
        "increase",
        {"iris": "OI6697"},
        "energie",
    ),
    (
        "energy_produced",
        "Énergie renouvelable produite",
        "Renewable energy produced",
        "MWh",
        "increase",
        {},
        "energie",
    ),
    (
        "area_regenerated",
        "Surface régénérée",
        "Area regenerated",
        "ha",
        "increase",
        {"iris": "PI9556"},
        "biodiversite",
    ),
    (
        "waste_recycled",
        "Déchets recyclés ou réemployés",
        "Waste recycled or reused",
        "t",
        "increase",
        {"iris": "OI7920", "eu": "CE"},
        "production-circulaire",
    ),
    ("water_saved", "Eau économisée", "Water saved", "m3", "increase", {"eu": "WTR"}, "eau"),
    ("jobs_created", "Emplois créés", "Jobs created", "jobs", "increase", {}, "solidarites"),
    (
        "training_hours",
        "Heures de formation",
        "Training hours",
        "hours",
        "increase",
        {},
        "solidarites",
    ),
    (
        "people_reached",
        "Personnes touchées",
        "People reached",
        "persons",
        "increase",
        {},
        "solidarites",
    ),
]

ADEME = "ADEME Base Empreinte"
FACTORS = [
    # code, label fr, label en, activity unit, kgCO2e per unit, uncertainty %, version
    (
        "electricity_fr",
        "Électricité, mix moyen France continentale",
        "Electricity, mainland France average mix",
        "kWh",
        "0.052",
        10,
        "23.6",
    ),
    (
        "diesel_road",
        "Gazole routier (B7), combustion et amont",
        "Road diesel (B7), combustion and upstream",
        "L",
        "3.17",
        5,
        "23.6",
    ),
    (
        "petrol_road",
        "Essence (E10), combustion et amont",
        "Petrol (E10), combustion and upstream",
        "L",
        "2.70",
        5,
        "23.6",
    ),
    (
        "natural_gas",
        "Gaz naturel, réseau France, PCI",
        "Natural gas, French grid, LHV",
        "kWh",
        "0.227",
        5,
        "23.6",
    ),
    (
        "road_freight_tkm",
        "Fret routier, porteur moyen",
        "Road freight, average rigid truck",
        "t.km",
        "0.119",
        20,
        "23.6",
    ),
    (
        "car_km",
        "Voiture particulière, motorisation moyenne",
        "Passenger car, average engine",
        "km",
        "0.218",
        20,
        "23.6",
    ),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("impact", "Indicator")
    Term = apps.get_model("impact", "Term")
    EmissionFactor = apps.get_model("impact", "EmissionFactor")
    terms = dict(Term.objects.values_list("code", "pk"))
    for code, fr, en, unit, direction, references, theme in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "label_fr": fr,
                "label_en": en,
                "unit": unit,
                "direction": direction,
                "references": references,
                "term_id": terms.get(theme),
                "origin": "federage",
            },
        )
    for code, fr, en, unit, value, uncertainty, version in FACTORS:
        EmissionFactor.objects.update_or_create(
            code=code,
            defaults={
                "label_fr": fr,
                "label_en": en,
                "activity_unit": f"kgCO2e/{unit}",
                "kg_co2e_per_unit": Decimal(value),
                "uncertainty_pct": uncertainty,
                "source": ADEME,
                "source_version": version,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("impact", "EmissionFactor").objects.filter(
        code__in=[row[0] for row in FACTORS]
    ).delete()
    apps.get_model("impact", "Indicator").objects.filter(
        code__in=[row[0] for row in INDICATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("impact", "0002_taxonomy_terms")]

    operations = [migrations.RunPython(seed, unseed)]
