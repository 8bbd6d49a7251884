# Passing neighbour of invalid/secondary-source-restating-nothing.ru: the same data, edited so that no rule fires.
INSERT DATA { kg:test-news a ekg:NewsReport ; rdfs:label "test news report"@en ; ekg:hasSourceRole ekg:SecondarySource ; ekg:restates kg:jhaveri-2025-nejm . }
