# Passing neighbour of invalid/label-without-language.ru: the same data, edited so that no rule fires.
DELETE WHERE { ekg:NewLesion rdfs:label ?old } ;
INSERT DATA { ekg:NewLesion rdfs:label "new lesion"@en-GB }
