"""Command handlers of impact: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.core.commands import command
from federage.impact import selectors, services, taxonomy
from federage.impact.schemas import (
    DisputeCommand,
    EmissionFactorIn,
    EmissionFactorOut,
    FootprintCommand,
    IndicatorIn,
    IndicatorOut,
    MeasurementCommand,
    MeasurementOut,
    MeasurementReviewedOut,
    ObjectiveChangeCommand,
    ObjectiveCommand,
    ObjectiveProposedOut,
    VerifyCommand,
)
from federage.impact.territory_schemas import (
    ClassificationCommand,
    ClassificationOut,
    ResourceClassificationCommand,
    ResourceClassificationOut,
    TermIn,
    TermOut,
    TermRetireCommand,
)

# --- Objectives, measurements, footprints, catalogues ----------------------------------------


@command("objective.propose", ObjectiveCommand, success_status=201)
def objective_propose_command(user, data: ObjectiveCommand):
    objective = services.objective_propose(user=user, **data.dict())
    row = selectors.objective_row(objective_id=objective.pk)
    return ObjectiveProposedOut(**row, pending_proposal_id=objective.proposal_id)


@command("objective.change", ObjectiveChangeCommand, success_status=201)
def objective_change_command(user, data: ObjectiveChangeCommand):
    objective = services.objective_change(user=user, **data.dict())
    row = selectors.objective_row(objective_id=objective.pk)
    return ObjectiveProposedOut(**row, pending_proposal_id=objective.pending_proposal_id)


@command("measurement.declare", MeasurementCommand, success_status=201)
def measurement_declare_command(user, data: MeasurementCommand):
    measurement = services.measurement_declare(user=user, **data.dict())
    return MeasurementOut(**selectors.measurement_row(measurement_id=measurement.pk))


@command("measurement.verify", VerifyCommand)
def measurement_verify_command(user, data: VerifyCommand):
    measurement = services.measurement_verify(user=user, **data.dict())
    return MeasurementReviewedOut(
        **selectors.measurement_row(measurement_id=measurement.pk),
        labour_contribution_id=measurement.labour_contribution_id,
    )


@command("measurement.dispute", DisputeCommand)
def measurement_dispute_command(user, data: DisputeCommand):
    measurement = services.measurement_dispute(user=user, **data.dict())
    return MeasurementOut(**selectors.measurement_row(measurement_id=measurement.pk))


@command("footprint.declare", FootprintCommand, success_status=201)
def footprint_declare_command(user, data: FootprintCommand):
    measurement = services.footprint_declare(user=user, **data.dict())
    return MeasurementOut(**selectors.measurement_row(measurement_id=measurement.pk))


@command("indicator.add", IndicatorIn, success_status=201)
def indicator_add_command(user, data: IndicatorIn):
    return IndicatorOut(**selectors.indicator_row(services.indicator_add(user=user, **data.dict())))


@command("emission_factor.add", EmissionFactorIn, success_status=201)
def emission_factor_add_command(user, data: EmissionFactorIn):
    factor = services.emission_factor_add(user=user, **data.dict())
    return EmissionFactorOut(**selectors.factor_row(factor))


# --- Taxonomy and territories (classification of commons and resources, the vocabulary) ------


@command("commons.classify", ClassificationCommand)
def commons_classify_command(user, data: ClassificationCommand):
    commons = taxonomy.commons_classify(user=user, **data.dict())
    return ClassificationOut(**taxonomy.classification_of(commons=commons))


@command("resource.classify", ResourceClassificationCommand)
def resource_classify_command(user, data: ResourceClassificationCommand):
    resource = taxonomy.resource_classify(user=user, **data.dict())
    return ResourceClassificationOut(
        resource_id=resource.pk, terms=taxonomy.terms_of_resource(resource_id=resource.pk)
    )


@command("term.add", TermIn, success_status=201)
def term_add_command(user, data: TermIn):
    return TermOut(**taxonomy.term_row(taxonomy.term_add(user=user, **data.dict())))


@command("term.retire", TermRetireCommand)
def term_retire_command(user, data: TermRetireCommand):
    return TermOut(**taxonomy.term_row(taxonomy.term_retire(user=user, **data.dict())))
