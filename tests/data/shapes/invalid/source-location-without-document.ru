# A source location that lies in no document.
# expect: Violation ekgsh:SourceLocationShape kg:loc-pubmed-citation
DELETE WHERE { kg:loc-pubmed-citation ekg:inDocument ?old }
