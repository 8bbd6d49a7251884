# Passing neighbour of invalid/criterion-kind-not-controlled.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-criterion-bm-stable ekg:criterionKind ?old } ;
INSERT DATA { kg:ember3-criterion-bm-stable ekg:criterionKind "exclusion" }
