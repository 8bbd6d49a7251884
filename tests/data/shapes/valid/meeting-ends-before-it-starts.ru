# Passing neighbour of invalid/meeting-ends-before-it-starts.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:meeting-sabcs-2024 ekg:endDate ?old } ;
INSERT DATA { kg:meeting-sabcs-2024 ekg:endDate "2024-12-10"^^xsd:date }
