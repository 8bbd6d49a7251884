# Passing neighbour of invalid/source-location-without-document.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:loc-lilly-reference-1 ekg:referenceNumber ?old } ;
INSERT DATA { kg:loc-lilly-reference-1 ekg:referenceNumber 6 }
