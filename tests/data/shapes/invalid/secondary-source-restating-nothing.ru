# A news report that does not say which primary work it retells.
# expect: Violation ekgsh:SecondarySourceRestatesShape kg:test-news
INSERT DATA { kg:test-news a ekg:NewsReport ; rdfs:label "test news report"@en ; ekg:hasSourceRole ekg:SecondarySource . }
