# An adverse-event endpoint whose lowest grade is above its highest.
# expect: Violation ekgsh:EndpointShape kg:endpoint-grade-3-to-4-adverse-events
DELETE DATA { kg:endpoint-grade-3-to-4-adverse-events ekg:maximumGrade 4 } ;
INSERT DATA { kg:endpoint-grade-3-to-4-adverse-events ekg:maximumGrade 2 }
