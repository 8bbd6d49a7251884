# An investigator's choice with one alternative.
# expect: Violation ekgsh:InvestigatorChoiceRegimenShape kg:regimen-investigator-choice-fulvestrant-or-exemestane
DELETE DATA { kg:regimen-investigator-choice-fulvestrant-or-exemestane ekg:hasAlternative kg:drug-exemestane }
