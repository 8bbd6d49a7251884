# Passing neighbour of invalid/combination-of-one-drug.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:regimen-imlunestrant-plus-abemaciclib ekg:hasComponent kg:drug-fulvestrant .
}
