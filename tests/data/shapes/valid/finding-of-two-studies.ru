# Passing neighbour of invalid/finding-of-two-studies.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:finding-sustained-brain-exposure ekg:findingOf ?old } ;
INSERT DATA { kg:finding-sustained-brain-exposure ekg:findingOf kg:preclinical-brain-orthotopic-survival }
