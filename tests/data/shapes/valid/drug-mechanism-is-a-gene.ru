# Passing neighbour of invalid/drug-mechanism-is-a-gene.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:drug-abemaciclib ekg:isInvestigational false .
}
