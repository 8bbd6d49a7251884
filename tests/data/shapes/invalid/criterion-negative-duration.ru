# A time threshold of minus 28 days.
# expect: Violation ekgsh:EligibilityCriterionShape kg:ember3-criterion-bm-stable
DELETE WHERE { kg:ember3-criterion-bm-stable ekg:thresholdValue ?old } ;
INSERT DATA { kg:ember3-criterion-bm-stable ekg:thresholdValue -28 }
