# A regimen that offers a gene as a drug.
# expect: Violation ekgsh:RegimenShape kg:regimen-investigator-choice-fulvestrant-or-exemestane
INSERT DATA {
    kg:regimen-investigator-choice-fulvestrant-or-exemestane ekg:hasAlternative kg:gene-esr1 .
}
