"""Stable refusal codes with their French and English messages, and the one error the API renders."""

from __future__ import annotations

from dataclasses import dataclass, field

# code: (HTTP status, French, English). Codes are a public contract: never rename one.
CATALOGUE: dict[str, tuple[int, str, str]] = {
    "validation_error": (422, "Certaines informations sont invalides.", "Some fields are invalid."),
    "required": (422, "Ce champ est obligatoire.", "This field is required."),
    "invalid_value": (422, "Valeur invalide.", "Invalid value."),
    "too_long": (422, "Texte trop long.", "Text too long."),
    "amount_too_large": (
        422,
        "Montant trop élevé : 100 milliards d'euros au plus.",
        "Amount too large: 100 billion euros at most.",
    ),
    "units_too_large": (
        422,
        "Nombre de titres trop élevé : mille milliards au plus.",
        "Too many titles: one trillion at most.",
    ),
    "not_an_integer": (
        422,
        "Un nombre entier est attendu (sans guillemets ni décimales).",
        "A whole number is expected (no quotes, no decimals).",
    ),
    "invalid_characters": (
        422,
        "Ce texte contient des caractères de contrôle interdits.",
        "This text contains forbidden control characters.",
    ),
    "unsupported_media_type": (
        415,
        "Le corps de la requête doit être du JSON (Content-Type: application/json).",
        "The request body must be JSON (Content-Type: application/json).",
    ),
    "invalid_json": (400, "Corps de requête JSON illisible.", "Unreadable JSON request body."),
    "database_busy": (
        503,
        "Le serveur est trop occupé pour enregistrer cela maintenant ; rien n'a été enregistré. Réessayez dans un instant.",
        "The server is too busy to record this now; nothing was recorded. Try again in a moment.",
    ),
    "command_failed": (
        422,
        "Cette commande n'a pas pu être appliquée ; rien n'en a été enregistré.",
        "This command could not be applied; nothing of it was recorded.",
    ),
    "not_authenticated": (401, "Connectez-vous pour continuer.", "Please log in to continue."),
    "permission_denied": (
        403,
        "Vous n'avez pas le droit de faire cela.",
        "You are not allowed to do this.",
    ),
    "csrf_failed": (
        403,
        "Session expirée ou requête d'une autre origine : rechargez la page.",
        "Session expired or cross-origin request: reload the page.",
    ),
    "method_not_allowed": (405, "Méthode non permise.", "Method not allowed."),
    "server_error": (500, "Erreur du serveur, réessayez plus tard.", "Server error, try later."),
    "not_found": (404, "Introuvable.", "Not found."),
    "email_taken": (
        409,
        "Un compte existe déjà avec cette adresse.",
        "An account already uses this email.",
    ),
    "invalid_email": (422, "Adresse électronique invalide.", "Invalid email address."),
    "weak_password": (422, "Mot de passe trop faible.", "Password too weak."),
    "invalid_credentials": (401, "Adresse ou mot de passe incorrect.", "Wrong email or password."),
    # Privacy (issue 14, item 10).
    "wrong_password": (
        403,
        "Mot de passe incorrect : confirmez avec votre mot de passe actuel.",
        "Wrong password: confirm with your current password.",
    ),
    "erasure_titles_held": (
        409,
        "Vous détenez encore des titres : cédez-les ou demandez leur rachat avant l'effacement.",
        "You still hold titles: transfer them or have them redeemed before erasure.",
    ),
    "erasure_obligations_open": (
        409,
        "Des engagements sont en cours (apports, cessions, rachats, sommes dues) : terminez-les "
        "ou retirez-les avant l'effacement.",
        "Obligations are still open (contributions, transfers, redemptions, dues): finish or "
        "withdraw them before erasure.",
    ),
    "erasure_last_steward": (
        409,
        "Vous êtes le dernier gestionnaire d'un commun : confiez ce rôle à un autre membre avant "
        "l'effacement.",
        "You are the last steward of a commons: give the role to another member before erasure.",
    ),
    "too_many_attempts": (
        429,
        "Trop de tentatives : réessayez dans une minute.",
        "Too many attempts: try again in a minute.",
    ),
    "rate_limited": (
        429,
        "Trop de requêtes depuis votre adresse. Réessayez dans une minute.",
        "Too many requests from your address. Try again in a minute.",
    ),
    "invalid_token": (
        400,
        "Ce lien est invalide ou a expiré.",
        "This link is invalid or has expired.",
    ),
    "invalid_siren": (422, "Numéro SIREN invalide.", "Invalid SIREN number."),
    "invalid_siret": (422, "Numéro SIRET invalide.", "Invalid SIRET number."),
    "siren_required": (
        422,
        "Une entreprise, une coopérative ou un organisme public s'identifie par son SIREN.",
        "A company, a cooperative or a public body is identified by its SIREN.",
    ),
    "siret_siren_mismatch": (
        422,
        "Le SIRET ne commence pas par le SIREN.",
        "The SIRET does not start with the SIREN.",
    ),
    "siren_taken": (
        409,
        "Une structure avec ce SIREN existe déjà.",
        "An organisation with this SIREN already exists.",
    ),
    "person_has_no_siren": (
        422,
        "Une personne physique n'a pas de SIREN.",
        "A natural person has no SIREN.",
    ),
    # The public company directory (issue 19): a lookup only helps, manual entry stays open.
    "siren_invalid": (
        422,
        "Saisissez un SIREN (9 chiffres) ou un SIRET (14 chiffres) valide, ou au moins 3 "
        "lettres du nom.",
        "Type a valid SIREN (9 digits) or SIRET (14 digits), or at least 3 letters of the name.",
    ),
    "directory_not_found": (
        404,
        "Aucune entreprise trouvée dans l'annuaire des entreprises : vérifiez le numéro ou "
        "saisissez la structure à la main.",
        "No company found in the company directory: check the number or type the organisation "
        "in by hand.",
    ),
    "directory_unreachable": (
        503,
        "L'annuaire des entreprises est injoignable : saisissez la structure à la main ou "
        "réessayez plus tard.",
        "The company directory cannot be reached: type the organisation in by hand or try "
        "again later.",
    ),
    "directory_timeout": (
        504,
        "L'annuaire des entreprises n'a pas répondu à temps : réessayez ou saisissez la "
        "structure à la main.",
        "The company directory did not answer in time: try again or type the organisation in "
        "by hand.",
    ),
    "directory_rate_limited": (
        429,
        "Trop de recherches dans l'annuaire des entreprises : réessayez dans quelques secondes.",
        "Too many company directory lookups: try again in a few seconds.",
    ),
    "directory_malformed": (
        502,
        "L'annuaire des entreprises a donné une réponse illisible : saisissez la structure à "
        "la main ou réessayez plus tard.",
        "The company directory gave an unreadable answer: type the organisation in by hand or "
        "try again later.",
    ),
    "invalid_website": (422, "Adresse de site invalide.", "Invalid website address."),
    "slug_taken": (409, "Ce nom court est déjà pris.", "This short name is taken."),
    "invalid_slug": (
        422,
        "Nom court : lettres minuscules, chiffres et tirets (3 à 50).",
        "Short name: lowercase letters, digits and hyphens (3 to 50).",
    ),
    "invalid_parent": (
        422,
        "Ce commun ne peut pas être le parent choisi.",
        "This commons cannot be the chosen parent.",
    ),
    "invalid_role": (422, "Rôle inconnu.", "Unknown role."),
    "roles_required": (422, "Choisissez au moins un rôle.", "Choose at least one role."),
    "invitation_expired": (410, "Cette invitation a expiré.", "This invitation has expired."),
    "invitation_not_pending": (
        409,
        "Cette invitation n'est plus valable.",
        "This invitation is no longer valid.",
    ),
    "agent_person_is_own": (
        422,
        "Une personne n'a qu'une fiche : la vôtre, créée avec votre compte. Créez ici une "
        "organisation.",
        "A person has one agent only, their own, made with their account. Create an "
        "organisation here.",
    ),
    "agent_commons_reserved": (
        422,
        "La fiche d'un commun est créée avec le commun.",
        "A commons' agent is made with the commons.",
    ),
    "invitation_other_address": (
        403,
        "Cette invitation a été envoyée à une autre adresse : connectez-vous avec le compte de "
        "cette adresse.",
        "This invitation was sent to another address: log in with that address's account.",
    ),
    "already_member": (409, "Cette structure est déjà membre.", "This agent is already a member."),
    "already_invited": (
        409,
        "Une invitation est déjà en attente pour cette adresse.",
        "An invitation is already pending for this email.",
    ),
    "last_steward": (
        409,
        "Le dernier gestionnaire ne peut pas partir ni perdre ce rôle.",
        "The last steward cannot leave or lose that role.",
    ),
    "not_a_member": (409, "Cette structure n'est pas membre.", "This agent is not a member."),
    # Governance.
    "vote_closed": (
        409,
        "Le vote est clos : ce vote n'a pas été compté.",
        "Voting is closed: this ballot was not counted.",
    ),
    "not_eligible": (
        409,
        "Vous ne faites pas partie des votants de cette proposition.",
        "You are not among the voters on this proposal.",
    ),
    "own_item": (
        409,
        "On ne vote pas sur sa propre proposition.",
        "You cannot vote on your own item.",
    ),
    "no_electorate": (
        409,
        "Personne ne pourrait voter sur cette proposition\u00a0: elle ne serait jamais décidée. "
        "Vérifiez qui vote dans la charte (rôles, titres détenus).",
        "Nobody could vote on this proposal: it would never be decided. "
        "Check who votes in the charter (roles, titles held).",
    ),
    "proposal_not_open": (
        409,
        "Cette proposition n'est pas ouverte au vote.",
        "This proposal is not open for voting.",
    ),
    "effect_not_pending": (
        409,
        "Cette décision n'a pas d'exécution en attente : elle a déjà été appliquée.",
        "This decision has no pending effect: it was already applied.",
    ),
    "proposal_not_draft": (
        409,
        "Cette proposition n'est plus un brouillon.",
        "This proposal is no longer a draft.",
    ),
    "out_of_range": (422, "Valeur hors des limites permises.", "Value out of the allowed range."),
    "unknown_parameter": (422, "Paramètre de charte inconnu.", "Unknown charter parameter."),
    "no_change": (
        422,
        "Cette modification ne change rien à la charte.",
        "This amendment changes nothing in the charter.",
    ),
    "invalid_kind": (
        422,
        "Type de proposition inconnu ou non permis ici.",
        "Unknown proposal kind, or not allowed here.",
    ),
    "idempotency_key_reused": (
        422,
        "Cette commande a déjà été envoyée avec un autre contenu.",
        "This command id was already used with other content.",
    ),
    "unknown_command": (422, "Commande inconnue.", "Unknown command."),
    "invalid_command_id": (
        422,
        "Identifiant de commande invalide (UUID attendu).",
        "Invalid command id (a UUID is expected).",
    ),
    # Ledger (issue 3).
    "unbalanced_entry": (
        422,
        "Écriture déséquilibrée : le total des débits doit égaler celui des crédits.",
        "Unbalanced entry: total debits must equal total credits.",
    ),
    "entry_too_few_lines": (
        422,
        "Une écriture compte au moins deux lignes.",
        "An entry needs at least two lines.",
    ),
    "unknown_account": (422, "Compte inconnu dans ce livre.", "Unknown account in this book."),
    "invalid_account_number": (
        422,
        "Numéro de compte invalide : chiffres, sous un compte existant du plan.",
        "Invalid account number: digits, under an existing account of the chart.",
    ),
    "account_number_too_short": (
        422,
        "Un compte mouvementé a au moins trois chiffres : 74 est une rubrique du plan "
        "comptable, passez l'écriture sur un compte comme 741.",
        "Entries post to accounts of at least three digits: 74 is a heading of the chart "
        "of accounts, post to an account such as 741.",
    ),
    "account_exists": (409, "Ce compte existe déjà.", "This account already exists."),
    "unknown_journal": (422, "Journal inconnu.", "Unknown journal."),
    "journal_reserved": (
        422,
        "Ce journal est réservé à la clôture des exercices.",
        "This journal is reserved for closing fiscal years.",
    ),
    "no_period": (
        422,
        "Aucun exercice n'est ouvert à cette date.",
        "No fiscal year covers this date.",
    ),
    "period_closed": (
        409,
        "Cet exercice est clos : rien ne peut plus y être enregistré.",
        "This fiscal year is closed: nothing can be booked in it.",
    ),
    "period_not_closed": (409, "Cet exercice n'est pas clos.", "This fiscal year is not closed."),
    "period_overlap": (
        409,
        "Cet exercice chevauche un exercice existant.",
        "This fiscal year overlaps an existing one.",
    ),
    "previous_period_open": (
        409,
        "Clôturez d'abord les exercices précédents.",
        "Close the earlier fiscal years first.",
    ),
    "later_period_closed": (
        409,
        "Un exercice suivant est clos : rouvrez-le d'abord.",
        "A later fiscal year is closed: reopen it first.",
    ),
    "period_not_ended": (
        409,
        "Cet exercice n'est pas terminé : il se clôture après son dernier jour.",
        "This fiscal year has not ended yet: it is closed after its last day.",
    ),
    "period_unbalanced": (
        409,
        "Les écritures de cet exercice ne s'équilibrent pas (débits et crédits différents) : "
        "il ne peut pas être clôturé.",
        "The entries of this fiscal year do not balance (debits differ from credits): "
        "it cannot be closed.",
    ),
    "effects_pending": (
        409,
        "Des décisions adoptées attendent encore leur exécution : elles doivent s'appliquer "
        "avant la clôture de l'exercice.",
        "Decisions that passed are still waiting for their effect: they must apply before "
        "the fiscal year is closed.",
    ),
    "result_not_allocated": (
        409,
        "Le résultat de l'exercice précédent n'est pas encore affecté : faites décider son "
        "affectation avant de clôturer cet exercice.",
        "The previous fiscal year's result is not allocated yet: have its allocation decided "
        "before closing this year.",
    ),
    "no_result_to_allocate": (
        409,
        "Il n'y a pas de résultat à affecter pour cet exercice (il n'est pas clos, ou son "
        "résultat est nul).",
        "There is no result to allocate for this fiscal year (it is not closed, or its result "
        "is zero).",
    ),
    "allocation_already_proposed": (
        409,
        "Une proposition d'affectation du résultat de cet exercice est déjà au vote.",
        "A proposal to allocate this fiscal year's result is already being voted on.",
    ),
    "result_already_allocated": (
        409,
        "Le résultat de cet exercice a déjà été affecté.",
        "This fiscal year's result has already been allocated.",
    ),
    "allocation_mismatch": (
        422,
        "Les montants affectés (réserves, report à nouveau, distribution) doivent totaliser "
        "exactement le résultat.",
        "The amounts allocated (reserves, carry-forward, distribution) must add up to exactly "
        "the result.",
    ),
    "distribution_not_allowed": (
        422,
        "La charte ne permet pas de distribuer le résultat (et une perte ne se distribue jamais).",
        "The charter does not allow the result to be distributed (and a loss never is).",
    ),
    "reserves_insufficient": (
        409,
        "Les réserves ne suffisent pas à absorber cette part de la perte.",
        "The reserves are not enough to absorb this part of the loss.",
    ),
    "already_reversed": (
        409,
        "Cette écriture a déjà été extournée.",
        "This entry has already been reversed.",
    ),
    "fec_invalid": (
        422,
        "Le FEC écrit présente des anomalies au regard du testeur de la DGFiP : voir la liste.",
        "The FEC written has anomalies the DGFiP's tester would report: see the list.",
    ),
    "no_siren": (
        422,
        "Ni le commun ni son gestionnaire n'ont de SIREN : le FEC ne peut pas être nommé.",
        "Neither the commons nor its manager has a SIREN: the FEC cannot be named.",
    ),
    # Contributions and titles (issue 5).
    "amount_not_positive": (
        422,
        "Le montant doit être strictement positif.",
        "The amount must be greater than zero.",
    ),
    "price_mismatch": (
        422,
        "Quantité × prix unitaire ne fait pas le prix proposé : expliquez l'écart.",
        "Quantity × unit price differs from the proposed price: explain the difference.",
    ),
    "evidence_too_large": (
        413,
        "Pièce justificative trop volumineuse (10 Mo au plus).",
        "Evidence file too large (10 MB at most).",
    ),
    "evidence_type_forbidden": (
        415,
        "Type de fichier non accepté (PDF, image, tableur ou texte).",
        "File type not accepted (PDF, image, spreadsheet or text).",
    ),
    "evidence_required": (
        422,
        "La charte exige une pièce justificative.",
        "The charter requires an evidence file.",
    ),
    "comment_required": (
        422,
        "Un commentaire est obligatoire pour toute modification.",
        "A comment is required for every change.",
    ),
    "invalid_transition": (
        409,
        "Cette action n'est pas possible dans l'état actuel.",
        "This action is not possible in the current state.",
    ),
    "insufficient_titles": (
        409,
        "Vous ne détenez pas assez de titres.",
        "You do not hold enough titles.",
    ),
    "titles_reserved": (
        409,
        "Ces titres sont réservés par une demande de rachat en cours : retirez-la d'abord.",
        "These titles are reserved by a pending redemption request: withdraw it first.",
    ),
    "units_not_positive": (
        422,
        "Le nombre de titres doit être strictement positif.",
        "The number of titles must be greater than zero.",
    ),
    "nav_not_positive": (
        409,
        "L'actif net du commun n'est pas positif : aucune part ne peut être émise.",
        "The commons' net assets are not positive: no titles can be issued.",
    ),
    "transfer_to_non_member": (
        409,
        "La charte interdit de céder des titres à un non-membre.",
        "The charter forbids transferring titles to a non-member.",
    ),
    "transfer_to_self": (
        422,
        "On ne se cède pas des titres à soi-même.",
        "Titles cannot be transferred to oneself.",
    ),
    "redemption_not_allowed": (
        409,
        "La charte ne prévoit pas le rachat des titres.",
        "The charter does not allow redeeming titles.",
    ),
    "notice_not_elapsed": (
        409,
        "Le préavis de départ n'est pas écoulé.",
        "The notice period has not elapsed.",
    ),
    # Resources, usages and dues (issue 15).
    "resource_retired": (
        409,
        "Cette ressource est retirée : on ne peut plus en déclarer l'usage.",
        "This resource is retired: no use of it can be declared.",
    ),
    "resource_other_commons": (
        422,
        "Cette ressource appartient à un autre commun.",
        "This resource belongs to another commons.",
    ),
    "resource_key_taken": (
        409,
        "Une ressource de ce commun porte déjà cette clé.",
        "A resource of this commons already has this key.",
    ),
    "wrong_unit": (
        422,
        "Cette quantité n'est pas dans l'unité de la ressource.",
        "This quantity is not in the resource's unit.",
    ),
    "quantity_out_of_range": (
        422,
        "Quantité invalide : positive, trois décimales au plus, un milliard au plus.",
        "Invalid quantity: positive, at most three decimals, at most one billion.",
    ),
    "invalid_period": (
        422,
        "Période invalide : la fin ne peut précéder le début, ni dépasser un an.",
        "Invalid period: the end cannot come before the start, nor a year after it.",
    ),
    "sale_amount_required": (
        422,
        "Un usage commercial indique le montant de la vente.",
        "A commercial use states its sale amount.",
    ),
    "agent_not_registered": (
        403,
        "Seuls les membres, les personnes agissant pour elles-mêmes et les structures dotées "
        "d'un SIREN peuvent déclarer un usage.",
        "Only members, persons acting for themselves and organisations with a SIREN can "
        "declare a use.",
    ),
    "not_depreciable": (
        422,
        "Ce compte ne s'amortit pas (terrains, stocks, titres).",
        "This account is not depreciated (land, stock, securities).",
    ),
    "contribution_not_linkable": (
        422,
        "Seul un apport en nature ou en industrie accepté de ce commun peut former une ressource.",
        "Only an accepted in-kind or labour contribution of this commons can form a resource.",
    ),
    "contribution_already_linked": (
        409,
        "Cet apport est déjà lié à une ressource.",
        "This contribution is already linked to a resource.",
    ),
    "overpayment": (
        409,
        "Ce paiement dépasse le reste dû.",
        "This payment exceeds what remains due.",
    ),
    "levy_line_other_commons": (
        422,
        "Cette ligne de redevance vise une ressource d'un autre commun.",
        "This levy line targets a resource of another commons.",
    ),
    # Legal vehicle: the SEP contract and title certificates.
    "contract_outdated": (
        409,
        "Cette version du contrat n'est plus en vigueur : lisez et acceptez la version actuelle.",
        "This version of the contract is no longer in force: read and accept the current one.",
    ),
    "contract_hash_mismatch": (
        409,
        "L'empreinte ne correspond pas au texte de cette version : rechargez le contrat.",
        "The hash does not match this version's text: reload the contract.",
    ),
    "contract_already_accepted": (
        409,
        "Cette structure a déjà accepté cette version du contrat.",
        "This agent has already accepted this version of the contract.",
    ),
    "no_titles_held": (
        409,
        "Aucune part détenue dans ce commun à cette date : pas d'attestation possible.",
        "No titles held in this commons at that date: no certificate can be issued.",
    ),
    "date_in_future": (
        422,
        "Cette date est dans le futur.",
        "This date is in the future.",
    ),
    # Taxonomy and territories (issue 16).
    "term_unknown": (
        422,
        "Ce terme n'existe pas dans la taxonomie, ou il a été retiré.",
        "This term does not exist in the taxonomy, or it was retired.",
    ),
    "term_code_taken": (
        409,
        "Un terme porte déjà ce code.",
        "A term already has this code.",
    ),
    "commune_unknown": (
        422,
        "Ce code de commune n'existe pas dans le code officiel géographique.",
        "This commune code does not exist in the official geographic code.",
    ),
    # Objectives, measurements and their verification (issue 16).
    "indicator_unknown": (
        422,
        "Cet indicateur n'existe pas dans le catalogue.",
        "This indicator is not in the catalogue.",
    ),
    "indicator_code_taken": (
        409,
        "Un indicateur porte déjà ce code.",
        "An indicator already has this code.",
    ),
    "objective_target_not_beyond_baseline": (
        422,
        "La cible doit dépasser la valeur de départ dans le sens de l'indicateur.",
        "The target must lie beyond the baseline in the indicator's direction.",
    ),
    "objective_dates_invalid": (
        422,
        "L'échéance doit suivre la date de début.",
        "The target date must come after the start date.",
    ),
    "objective_not_adopted": (
        409,
        "Cet objectif n'est pas adopté : aucune mesure ne peut encore être déclarée, ni de changement proposé.",
        "This objective is not adopted: no measurement can be declared nor change proposed yet.",
    ),
    "objective_change_needs_decision": (
        409,
        "Un objectif ne change que par une décision du commun.",
        "An objective changes only by a decision of the commons.",
    ),
    "measurement_unit_mismatch": (
        422,
        "Cette mesure n'est pas dans l'unité de l'indicateur de l'objectif.",
        "This measurement is not in the unit of the objective's indicator.",
    ),
    "measurement_period_before_objective": (
        422,
        "La période de la mesure commence avant l'objectif.",
        "The measurement's period starts before the objective.",
    ),
    "verifier_is_declarer": (
        403,
        "Vous avez déclaré cette mesure : un autre vérificateur doit l'examiner.",
        "You declared this measurement: another verifier must review it.",
    ),
    "not_a_verifier": (
        403,
        "Seul un membre ayant le rôle de vérificateur peut examiner une mesure.",
        "Only a member holding the verifier role may review a measurement.",
    ),
    "measurement_not_declared": (
        409,
        "Cette mesure a déjà été examinée.",
        "This measurement has already been reviewed.",
    ),
    "measurement_already_corrected": (
        409,
        "Cette mesure a déjà une correction.",
        "This measurement already has a correction.",
    ),
    "emission_factor_unknown": (
        422,
        "Ce facteur d'émission n'existe pas, ou il est archivé.",
        "This emission factor does not exist, or it is archived.",
    ),
    "emission_factor_code_taken": (
        409,
        "Un facteur d'émission porte déjà ce code.",
        "An emission factor already has this code.",
    ),
    "footprint_empty": (
        422,
        "Un bilan carbone compte au moins une ligne.",
        "A footprint has at least one line.",
    ),
    "footprint_not_emissions": (
        422,
        "Un bilan carbone s'enregistre sur un objectif d'émissions de GES (tCO2e).",
        "A footprint is recorded on a GHG emissions objective (tCO2e).",
    ),
    # Federation (issue 18): commons as members of others, exchanges, borrowed assets.
    "commons_joins_itself": (
        422,
        "Un commun ne peut pas être membre de lui-même.",
        "A commons cannot be a member of itself.",
    ),
    "commons_joins_own_subcommons": (
        422,
        "Ce commun est déjà lié à ce sous-commun par l'arborescence : il ne peut pas en être aussi membre.",
        "This commons is already linked to this sub-commons by the tree: it cannot also be its member.",
    ),
    "circular_holding": (
        409,
        "Détention circulaire refusée : ce commun est déjà, directement ou non, membre du commun qui veut le rejoindre.",
        "Circular holding refused: this commons is already, directly or not, a member of the commons that wants to join it.",
    ),
    # Worker only (the participations sweep logs it and retries): never sent to a client.
    "participation_cost_short": (
        409,
        "Les titres sortis coûtent plus que ce que le compte 261 porte pour cette participation : leur coût d'entrée n'est pas encore comptabilisé.",
        "The titles that left cost more than account 261 carries for this holding: their cost is not booked yet.",
    ),
    "exchange_one_sided": (
        422,
        "Un échange fait circuler quelque chose dans chaque sens.",
        "An exchange moves something each way.",
    ),
    "exchange_terms_mismatch": (
        422,
        "Ces montants contredisent les termes convenus de l'échange.",
        "These amounts contradict the agreed terms of the exchange.",
    ),
    "exchange_not_approved": (
        409,
        "L'échange n'est pas encore approuvé par les deux communs : rien ne bouge.",
        "The exchange is not yet approved by both commons: nothing moves.",
    ),
    "exchange_closed": (
        409,
        "Cet échange n'est plus ouvert à cette action.",
        "This exchange is no longer open to this action.",
    ),
    "insufficient_holding": (
        409,
        "Le solde de ce compte ne couvre pas ce qui serait cédé.",
        "This account's balance does not cover what would be given.",
    ),
    "borrowing_closed": (
        409,
        "Ce prêt n'est plus ouvert à cette action.",
        "This loan is no longer open to this action.",
    ),
    "federation_open_exchanges": (
        409,
        "Ce commun a encore des échanges ou des prêts ouverts avec d'autres membres : il ne peut pas quitter la fédération.",
        "This commons still has open exchanges or loans with other members: it cannot leave the federation.",
    ),
    # Funding (issue 17).
    "financing_closed": (
        409,
        "Ce financement n'est plus ouvert à cette action.",
        "This financing is no longer open to this action.",
    ),
    "financing_needs_decision": (
        409,
        "Un financement n'est accepté que par une décision du commun.",
        "A financing is accepted only by a decision of the commons.",
    ),
    "tranches_not_summing": (
        422,
        "La somme des tranches doit égaler le montant du financement.",
        "The tranches must add up to the financing's amount.",
    ),
    "schedule_not_summing": (
        422,
        "L'échéancier doit rembourser exactement le capital emprunté.",
        "The schedule must repay exactly the principal borrowed.",
    ),
    "disbursement_exceeds_financing": (
        409,
        "Ce versement dépasserait le montant du financement.",
        "This disbursement would exceed the financing's amount.",
    ),
    "milestone_not_verified": (
        409,
        "Le jalon de cette tranche n'est pas atteint par une mesure vérifiée.",
        "This tranche's milestone is not reached by a verified measurement.",
    ),
    "earmark_other_commons": (
        422,
        "Un financement ne s'affecte qu'aux ressources et objectifs du commun financé.",
        "A financing is earmarked only to resources and objectives of the commons it funds.",
    ),
    "earmark_exceeded": (
        409,
        "Ces dépenses dépasseraient le montant affecté par le financeur.",
        "This spending would exceed the amount the funder earmarked.",
    ),
    "earmark_line_not_expense": (
        422,
        "Seule une ligne de charge (classe 6 ou immobilisation) du commun financé peut être affectée.",
        "Only an expense (class 6) or asset line of the funded commons can be tagged.",
    ),
}


@dataclass
class FieldError:
    code: str
    detail: str | None = None


@dataclass
class ApplicationError(Exception):
    """A refusal the user can understand: stable code, optional field errors, nothing written."""

    code: str
    fields: dict[str, FieldError] = field(default_factory=dict)
    detail: str | None = None
    status: int | None = None
    extra: dict | None = None

    def __post_init__(self) -> None:
        assert self.code in CATALOGUE, f"unknown error code {self.code!r}"
        for field_error in self.fields.values():
            assert field_error.code in CATALOGUE, f"unknown field code {field_error.code!r}"
        super().__init__(self.code)

    @classmethod
    def on_field(cls, name: str, code: str, detail: str | None = None) -> ApplicationError:
        """A refusal caused by one field: the field's code is also the error's code."""
        return cls(code=code, fields={name: FieldError(code, detail)})

    @property
    def http_status(self) -> int:
        return self.status or CATALOGUE[self.code][0]

    def as_dict(self, language: str = "fr") -> dict:
        return error_body(self.code, self.fields, language, self.detail, self.extra)


def messages_for(code: str) -> dict[str, str]:
    _, french, english = CATALOGUE[code]
    return {"fr": french, "en": english}


def error_body(
    code: str,
    fields: dict[str, FieldError] | None = None,
    language: str = "fr",
    detail: str | None = None,
    extra: dict | None = None,
) -> dict:
    """The one error shape of the API: code, message in the asked language, both messages, fields."""
    language = "en" if language == "en" else "fr"
    messages = messages_for(code)
    body: dict = {
        "code": code,
        "message": messages[language],
        "messages": messages,
        "fields": {
            name: {
                "code": error.code,
                "message": messages_for(error.code)[language],
                "messages": messages_for(error.code),
                **({"detail": error.detail} if error.detail else {}),
            }
            for name, error in (fields or {}).items()
        },
    }
    if detail:
        body["detail"] = detail
    if extra:
        body.update(extra)
    return body
