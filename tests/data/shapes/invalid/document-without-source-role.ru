# A document that says neither primary nor secondary.
# expect: Violation ekgsh:SourceDocumentShape kg:test-document
INSERT DATA { kg:test-document a ekg:JournalArticle ; rdfs:label "test article"@en . }
