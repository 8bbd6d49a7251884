# Passing neighbour of invalid/preclinical-study-without-drug.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:preclinical-tumour-models-activity ekg:studiesDrug ?old } ;
INSERT DATA { kg:preclinical-tumour-models-activity ekg:studiesDrug kg:drug-fulvestrant }
