# A publication date written as free text.
# expect: Violation ekgsh:SourceDocumentShape kg:jhaveri-2025-nejm
DELETE WHERE { kg:jhaveri-2025-nejm ekg:publicationDate ?old } ;
INSERT DATA { kg:jhaveri-2025-nejm ekg:publicationDate "March 2025" }
