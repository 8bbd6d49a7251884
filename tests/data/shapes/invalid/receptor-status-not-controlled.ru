# A receptor status outside positive/negative.
# expect: Violation ekgsh:ReceptorStatusBiomarkerShape kg:biomarker-her2-negative
DELETE WHERE { kg:biomarker-her2-negative ekg:biomarkerStatus ?old } ;
INSERT DATA { kg:biomarker-her2-negative ekg:biomarkerStatus "low" }
