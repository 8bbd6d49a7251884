# A condition that requires a gene instead of a biomarker.
# expect: Violation ekgsh:ConditionShape kg:condition-er-positive-her2-negative-advanced-breast-cancer
INSERT DATA {
    kg:condition-er-positive-her2-negative-advanced-breast-cancer ekg:requiresBiomarker kg:gene-esr1 .
}
