# An allocation ratio with hyphens.
# expect: Violation ekgsh:ClinicalTrialShape kg:ember3
DELETE WHERE { kg:ember3 ekg:allocationRatio ?old } ;
INSERT DATA { kg:ember3 ekg:allocationRatio "1-1-1" }
