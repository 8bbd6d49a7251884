# Passing neighbour of invalid/receptor-status-not-controlled.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:biomarker-her2-negative ekg:biomarkerStatus ?old } ;
INSERT DATA { kg:biomarker-her2-negative ekg:biomarkerStatus "positive" }
