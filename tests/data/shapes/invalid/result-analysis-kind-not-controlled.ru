# A result whose analysis kind is a trial phase.
# expect: Violation ekgsh:StatisticalResultShape kg:ember3-result-ae-grade3-standard
DELETE WHERE { kg:ember3-result-ae-grade3-standard ekg:hasAnalysisKind ?old } ;
INSERT DATA { kg:ember3-result-ae-grade3-standard ekg:hasAnalysisKind ekg:Phase3 }
