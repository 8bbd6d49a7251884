# A label that is a plain string, not a language-tagged one.
# expect: Violation ekgsh:LabelShape ekg:NewLesion
DELETE WHERE { ekg:NewLesion rdfs:label ?old } ;
INSERT DATA { ekg:NewLesion rdfs:label "new lesion" }
