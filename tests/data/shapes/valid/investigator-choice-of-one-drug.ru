# Passing neighbour of invalid/investigator-choice-of-one-drug.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:regimen-investigator-choice-fulvestrant-or-exemestane ekg:hasAlternative ?old } ;
INSERT DATA { kg:regimen-investigator-choice-fulvestrant-or-exemestane ekg:hasAlternative kg:drug-exemestane, kg:drug-imlunestrant }
