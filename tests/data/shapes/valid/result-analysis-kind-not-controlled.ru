# Passing neighbour of invalid/result-analysis-kind-not-controlled.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-ae-grade3-standard ekg:hasAnalysisKind ?old } ;
INSERT DATA { kg:ember3-result-ae-grade3-standard ekg:hasAnalysisKind ekg:PostHocAnalysis }
