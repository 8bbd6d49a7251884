# Passing neighbour of invalid/source-document-date-as-text.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:jhaveri-2025-nejm ekg:publicationDate ?old } ;
INSERT DATA { kg:jhaveri-2025-nejm ekg:publicationDate "2025"^^xsd:gYear }
