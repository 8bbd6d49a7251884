# Passing neighbour of invalid/condition-requires-a-gene.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:condition-er-positive-her2-negative-advanced-breast-cancer ekg:requiresBiomarker kg:biomarker-esr1-mutation .
}
