# A criterion kind outside inclusion/exclusion.
# expect: Violation ekgsh:EligibilityCriterionShape kg:ember3-criterion-bm-stable
DELETE WHERE { kg:ember3-criterion-bm-stable ekg:criterionKind ?old } ;
INSERT DATA { kg:ember3-criterion-bm-stable ekg:criterionKind "mandatory" }
