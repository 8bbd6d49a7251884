# Passing neighbour of invalid/regimen-alternative-not-a-drug.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:regimen-investigator-choice-fulvestrant-or-exemestane ekg:hasAlternative kg:drug-imlunestrant .
}
