"""Seeds version 1 of the taxonomy: twelve themes of territorial resilience and their sub-terms.

The codes are stable ids (a sub-term is "parent.child"); labels may be corrected later, codes never.
The list is frozen here, not imported, so this migration means the same thing forever.
"""

from django.db import migrations

THEMES = [
    ("alimentation", "Alimentation", "Food", [
        ("agroecologie", "Agroécologie", "Agroecology"),
        ("circuits-courts", "Circuits courts", "Short supply chains"),
        ("restauration-collective", "Restauration collective", "Public catering"),
        ("transformation", "Transformation alimentaire", "Food processing"),
        ("jardins-partages", "Jardins partagés", "Community gardens"),
    ]),
    ("energie", "Énergie", "Energy", [
        ("renovation", "Rénovation énergétique", "Energy renovation"),
        ("production-renouvelable", "Production renouvelable", "Renewable generation"),
        ("sobriete", "Sobriété énergétique", "Energy sufficiency"),
        ("precarite", "Précarité énergétique", "Energy poverty"),
    ]),
    ("mobilite", "Mobilité", "Mobility", [
        ("velo", "Vélo", "Cycling"),
        ("covoiturage", "Covoiturage et autopartage", "Car pooling and sharing"),
        ("transports-collectifs", "Transports collectifs", "Public transport"),
        ("logistique", "Logistique urbaine", "Urban logistics"),
    ]),
    ("production-circulaire", "Production circulaire", "Circular production", [
        ("reemploi", "Réemploi", "Reuse"),
        ("reparation", "Réparation", "Repair"),
        ("recyclage", "Recyclage", "Recycling"),
        ("textile", "Textile", "Textiles"),
        ("ecoconception", "Écoconception", "Ecodesign"),
    ]),
    ("biodiversite", "Biodiversité", "Biodiversity", [
        ("sols-vivants", "Sols vivants", "Living soils"),
        ("haies", "Haies et bocage", "Hedgerows"),
        ("zones-humides", "Zones humides", "Wetlands"),
        ("forets", "Forêts", "Forests"),
    ]),
    ("eau", "Eau", "Water", [
        ("economie", "Économies d'eau", "Water saving"),
        ("qualite", "Qualité de l'eau", "Water quality"),
        ("assainissement", "Assainissement", "Sanitation"),
        ("pluviale", "Gestion des eaux pluviales", "Rainwater management"),
    ]),
    ("habitat", "Habitat", "Housing", [
        ("logement-abordable", "Logement abordable", "Affordable housing"),
        ("habitat-participatif", "Habitat participatif", "Cohousing"),
        ("materiaux-biosources", "Matériaux biosourcés", "Bio-based materials"),
        ("tiers-lieux", "Tiers-lieux", "Third places"),
    ]),
    ("communs-numeriques", "Communs numériques", "Digital commons", [
        ("logiciel-libre", "Logiciel libre", "Free software"),
        ("donnees-ouvertes", "Données ouvertes", "Open data"),
        ("cartographie", "Cartographie libre", "Open mapping"),
        ("inclusion", "Inclusion numérique", "Digital inclusion"),
    ]),
    ("sante", "Santé", "Health", [
        ("prevention", "Prévention", "Prevention"),
        ("soins-proximite", "Soins de proximité", "Local care"),
        ("sante-environnementale", "Santé environnementale", "Environmental health"),
    ]),
    ("culture", "Culture", "Culture", [
        ("patrimoine", "Patrimoine", "Heritage"),
        ("education-populaire", "Éducation populaire", "Popular education"),
        ("creation", "Création artistique", "Artistic creation"),
    ]),
    ("solidarites", "Solidarités", "Solidarity", [
        ("insertion", "Insertion par l'activité économique", "Work integration"),
        ("lien-social", "Lien social", "Social ties"),
        ("acces-aux-droits", "Accès aux droits", "Access to rights"),
        ("economie-sociale", "Économie sociale et solidaire", "Social and solidarity economy"),
    ]),
    ("climat", "Climat", "Climate", [
        ("attenuation", "Atténuation", "Mitigation"),
        ("adaptation", "Adaptation", "Adaptation"),
        ("sequestration", "Séquestration du carbone", "Carbon sequestration"),
        ("bilan-carbone", "Bilan carbone", "Carbon accounting"),
    ]),
]


def seed(apps, schema_editor):
    Term = apps.get_model("impact", "Term")
    for code, fr, en, children in THEMES:
        parent, _ = Term.objects.get_or_create(
            code=code,
            defaults={"label_fr": fr, "label_en": en, "origin": "federage", "added_in": 1},
        )
        for child, child_fr, child_en in children:
            Term.objects.get_or_create(
                code=f"{code}.{child}",
                defaults={
                    "parent": parent,
                    "label_fr": child_fr,
                    "label_en": child_en,
                    "origin": "federage",
                    "added_in": 1,
                },
            )


def unseed(apps, schema_editor):
    Term = apps.get_model("impact", "Term")
    codes = [code for code, *_ in THEMES]
    Term.objects.filter(origin="federage", added_in=1, parent__code__in=codes).delete()
    Term.objects.filter(origin="federage", added_in=1, code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("impact", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
