# Passing neighbour of invalid/endpoint-grades-reversed.ru: the same data, edited so that no rule fires.
DELETE DATA { kg:endpoint-grade-3-to-4-adverse-events ekg:maximumGrade 4 } ;
INSERT DATA { kg:endpoint-grade-3-to-4-adverse-events ekg:maximumGrade 5 }
