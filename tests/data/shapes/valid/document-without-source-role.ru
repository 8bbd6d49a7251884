# Passing neighbour of invalid/document-without-source-role.ru: the same data, edited so that no rule fires.
INSERT DATA { kg:test-document a ekg:JournalArticle ; rdfs:label "test article"@en ; ekg:hasSourceRole ekg:PrimarySource . }
