# Passing neighbour of invalid/source-document-bad-doi.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:jhaveri-2025-nejm bibo:doi ?old } ;
INSERT DATA { kg:jhaveri-2025-nejm bibo:doi "10.1056/nejmoa2410858" }
